use super::*;
use crate::compute::Checks;
use crate::model::{Date, Instrument};
use crate::render::Control;
use crate::render::chart::{ChartKind, Series};
use crate::render::table::{RowKind, TableCell, TableColumn, TableFootnote, TableRow};

const HOSTILE: &str = "<script>alert(1)</script>\" onmouseover=alert(2) x='";

fn column(label: &str, group: Option<&str>, cents: bool) -> TableColumn {
    TableColumn {
        label: label.to_string(),
        group: group.map(str::to_string),
        cents,
        computed: false,
    }
}

fn row(kind: RowKind, label: &str, remark: Option<&str>, cells: Vec<TableCell>) -> TableRow {
    TableRow {
        kind,
        code: (kind == RowKind::Line).then(|| "a".to_string()),
        label: label.to_string(),
        remark: remark.map(str::to_string),
        theme: 1,
        cells,
    }
}

fn cell(cents: i64, marker: Option<&str>) -> TableCell {
    TableCell {
        value: Some(Money::from_cents(cents)),
        marker: marker.map(str::to_string),
        ..TableCell::default()
    }
}

/// An alliantie-like table: a grouped header, a footnote marked after a label and in a
/// cell, a remark that is no marker, a negative amount and labels that try to break out.
fn table() -> ReportTable {
    ReportTable {
        instrument: Instrument::Alliantieprojecten,
        title: format!("Alliantie {HOSTILE}"),
        label_header: "Uitgaven werkplan 2022".to_string(),
        columns: vec![
            column("Totaal budget", None, false),
            column("1e ronde", Some("Toegekend"), true),
            column("2e ronde", Some("Toegekend"), false),
            column(HOSTILE, None, false),
        ],
        rows: vec![
            row(
                RowKind::ThemeHeading,
                "1 Leefbaarheid",
                None,
                vec![TableCell::default(); 4],
            ),
            row(
                RowKind::Line,
                HOSTILE,
                Some("*"),
                vec![
                    cell(72_981_100, None),
                    cell(1_000_050, Some("*")),
                    TableCell::default(),
                    cell(-500_000, None),
                ],
            ),
            row(
                RowKind::Line,
                "Opzetten zorgketen",
                Some("(ovb voorhangprocedure)"),
                vec![TableCell::default(); 4],
            ),
            row(
                RowKind::Total,
                "Totaal",
                None,
                vec![
                    cell(72_981_100, None),
                    cell(1_000_050, None),
                    cell(0, None),
                    cell(-500_000, None),
                ],
            ),
        ],
        footnotes: vec![TableFootnote {
            marker: "*".to_string(),
            text: format!("Een noot {HOSTILE}"),
        }],
    }
}

fn appendix() -> Appendix {
    let table = table();
    Appendix {
        title: "Financiën werkplan 2022 Sociale Agenda".to_string(),
        year: 2022,
        peildatum: Date::new(2021, 12, 31).unwrap(),
        intro: vec![
            Block::Chapter("Financiën".to_string()),
            Block::Section(format!("Instrumenten {HOSTILE}")),
            Block::Paragraph("Een alinea.".to_string()),
            Block::Bullet("een".to_string()),
            Block::Bullet(format!("twee {HOSTILE}")),
            Block::Paragraph("Nog een.".to_string()),
        ],
        charts: vec![Chart {
            instrument: table.instrument,
            title: format!("Grafiek {HOSTILE}"),
            kind: ChartKind::PerTheme,
            categories: vec![HOSTILE.to_string()],
            series: vec![Series::new(
                format!("Budget {HOSTILE}"),
                vec![Money::from_cents(72_981_100)],
            )],
            alt_text: format!("Staafdiagram {HOSTILE}"),
        }],
        tables: vec![table],
        realisation: Vec::new(),
        subject: "Financiële bijlage".to_string(),
        publisher: "Provincie Drenthe".to_string(),
        sender: "Provincie Drenthe · Sociale Agenda".to_string(),
        changes: None,
        control: Control {
            title: "Controle".to_string(),
            subject: "Controle van de financiële bijlage".to_string(),
            text: Vec::new(),
            left_out: Vec::new(),
            checks: Checks::default(),
            findings: Vec::new(),
            sources: Vec::new(),
            changes: None,
        },
        version: "0.1.0".to_string(),
    }
}

fn page() -> String {
    let texts = Texts::load(None).unwrap();
    String::from_utf8(render(&appendix(), &texts).unwrap()).unwrap()
}

#[test]
fn every_text_from_the_spreadsheets_is_escaped() {
    let page = page();
    assert!(!page.contains("<script"), "a script tag got through");
    assert!(!page.contains("\" onmouseover"), "an attribute got through");
    assert!(!page.contains("x='"), "a quote got through");
    assert!(
        page.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover&#x3D;alert(2) x&#x3D;&#x27;"
        ),
        "the hostile label is shown escaped"
    );
    // in every place a spreadsheet text goes: title, header, label, note, chart, legend
    assert!(page.matches("&lt;script&gt;").count() >= 10);
}

#[test]
fn the_page_is_dutch_self_contained_and_headed_like_the_pdf() {
    let page = page();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"nl\">"));
    assert!(page.contains("<h1>Financiën werkplan 2022 Sociale Agenda</h1>"));
    assert!(page.contains("<h2>Financiën</h2>"));
    assert!(page.contains("<h3>Instrumenten &lt;script"));
    assert!(page.contains("<time datetime=\"2021-12-31\">31 december 2021</time>"));
    assert!(page.contains("<ul>\n<li>een</li>\n<li>twee "));
    for external in ["http:", "https:", "src=", "@import", "url("] {
        let found: Vec<&str> = page
            .lines()
            .filter(|l| l.contains(external) && !l.contains("xmlns=\"http://www.w3.org/2000/svg\""))
            .collect();
        assert!(found.is_empty(), "{external}: {found:?}");
    }
    assert!(!page.contains("<script"));
    assert!(page.contains("@media print"));
}

#[test]
fn the_grouped_header_spans_the_rounds_and_the_rest_spans_both_rows() {
    let page = page();
    assert!(page.contains(
        "<tr><th scope=\"col\" rowspan=\"2\">Uitgaven werkplan 2022</th>\
         <th scope=\"col\" rowspan=\"2\" class=\"bedrag\">Totaal budget</th>\
         <th scope=\"colgroup\" colspan=\"2\" class=\"bedrag\">Toegekend</th>"
    ));
    assert!(page.contains(
        "<tr><th scope=\"col\" class=\"bedrag\">1e ronde</th>\
         <th scope=\"col\" class=\"bedrag\">2e ronde</th></tr>"
    ));
    assert!(page.contains(
        "<colgroup span=\"1\"></colgroup><colgroup span=\"1\"></colgroup>\
         <colgroup span=\"2\"></colgroup><colgroup span=\"1\"></colgroup>"
    ));
}

#[test]
fn footnote_markers_and_notes_link_both_ways() {
    let page = page();
    // the marker after the label and the one in the cell each have an id of their own
    assert!(page.contains("<a id=\"tabel-1-verwijzing-1\" href=\"#tabel-1-noot-1\">*"));
    assert!(page.contains("<a id=\"tabel-1-verwijzing-2\" href=\"#tabel-1-noot-1\">*"));
    // the note links back to the first
    assert!(page.contains("<li id=\"tabel-1-noot-1\">"));
    assert!(
        page.contains("<a class=\"terug\" href=\"#tabel-1-verwijzing-1\">terug naar de tabel</a>")
    );
    // a remark that is no marker stays a remark
    assert!(page.contains("<span class=\"opmerking\">(ovb voorhangprocedure)</span>"));
}

#[test]
fn amounts_follow_the_shared_table_and_rows_their_style() {
    let page = page();
    // cents where the column has them, and only there
    assert!(page.contains("<td class=\"bedrag\">€ 729.811</td>"));
    assert!(page.contains("€ 10.000,50<sup>"));
    assert!(page.contains("<td class=\"bedrag negatief\">€ -5.000</td>"));
    assert!(page.contains("<tr class=\"vet band\"><th scope=\"row\">1 Leefbaarheid</th>"));
    assert!(page.contains("<tr class=\"vet totaal\"><th scope=\"row\">Totaal</th>"));
    assert!(
        page.contains("<th scope=\"row\" class=\"hangend\"><span class=\"code\">a</span> Opzetten")
    );
}

#[test]
fn a_chart_is_an_image_with_title_description_and_its_figures_beside_it() {
    let page = page();
    assert!(page.contains(
        "<svg class=\"grafiek\" role=\"img\" aria-labelledby=\"grafiek-1-titel grafiek-1-beschrijving\""
    ));
    assert!(page.contains("<title id=\"grafiek-1-titel\">Grafiek &lt;script"));
    assert!(page.contains("<desc id=\"grafiek-1-beschrijving\">Staafdiagram &lt;script"));
    assert!(page.contains("<caption id=\"grafiek-1-cijfers\">Cijfers bij figuur 1</caption>"));
    assert!(page.contains("<td class=\"bedrag\">€ 729.811</td></tr>"));
    // tables scroll in their own labelled, focusable box
    assert_eq!(
        page.matches("class=\"tabelvak\" tabindex=\"0\" role=\"region\" aria-labelledby=")
            .count(),
        2
    );
}

#[test]
fn the_same_appendix_gives_the_same_bytes() {
    assert_eq!(page(), page());
}

#[test]
fn text_blocks_gather_consecutive_bullets() {
    let blocks = text_blocks(&[
        Block::Bullet("a".into()),
        Block::Bullet("b".into()),
        Block::Paragraph("p".into()),
        Block::Bullet("c".into()),
    ]);
    let lists: Vec<&Vec<String>> = blocks.iter().map(|b| &b.lijst).collect();
    assert_eq!(
        lists,
        [
            &vec!["a".to_string(), "b".to_string()],
            &vec![],
            &vec!["c".to_string()]
        ]
    );
    assert_eq!(blocks[1].alinea.as_deref(), Some("p"));
}

#[test]
fn a_euro_sign_in_running_text_stays_on_the_line_of_its_amount() {
    let mut appendix = appendix();
    appendix.intro = vec![
        Block::Paragraph("Een budget van € 3.160.000 en van € -5.000,00.".into()),
        Block::Bullet("waarvan € 500.000 voor Kansen4Kinderen".into()),
    ];
    appendix.tables[0].footnotes[0].text = "Een noot over € 10.000.".into();
    let texts = Texts::load(None).unwrap();
    let page = String::from_utf8(render(&appendix, &texts).unwrap()).unwrap();
    assert!(page.contains("Een budget van €\u{a0}3.160.000 en van €\u{a0}-5.000,00."));
    assert!(page.contains("waarvan €\u{a0}500.000 voor"));
    // a note under a table too; the amount cells keep their plain space (they never wrap)
    assert!(page.contains("Een noot over €\u{a0}10.000."));
    assert!(!page.contains("bedrag\">€\u{a0}"));
    assert!(page.contains("<td class=\"bedrag\">€ 729.811</td>"));
}

#[test]
fn the_changes_section_is_headed_escaped_and_drawn_as_tables() {
    let mut appendix = appendix();
    let mut changed = table();
    changed.title = format!("Wijzigingen {HOSTILE}");
    appendix.changes = Some(crate::render::changes::ChangesSection {
        text: vec![
            Block::Section(format!("Wijzigingen ten opzichte van {HOSTILE}")),
            Block::Paragraph(format!("In het kort: {HOSTILE}")),
            Block::Bullet("Reguliere middelen: budgetneutraal.".to_string()),
        ],
        tables: vec![changed],
    });
    let texts = Texts::load(None).unwrap();
    let page = String::from_utf8(render(&appendix, &texts).unwrap()).unwrap();
    assert!(!page.contains("<script"), "a script tag got through");
    assert!(page.contains("<section class=\"wijzigingen\" aria-labelledby=\"wijzigingen-titel\">"));
    assert!(
        page.contains("<h2 id=\"wijzigingen-titel\">Wijzigingen ten opzichte van &lt;script&gt;")
    );
    assert!(page.contains("<table id=\"wijziging-1\" class=\"overzicht\">"));
    assert!(page.contains("<li>Reguliere middelen: budgetneutraal.</li>"));
    // without changes, no section
    assert!(!self::page().contains("wijzigingen"));
}

#[test]
fn rows_are_escaped_exactly_as_the_template_escapes_values() {
    for text in [
        "",
        "Regel 1",
        "<script>alert('x')</script> & \"y\" = `z`",
        "Kansen4Kinderen (6a) – ’22 en ’23 €",
        "&amp;&&<<>>==",
    ] {
        let mut out = String::from("vooraf");
        push_escaped(&mut out, text);
        assert_eq!(
            out,
            format!("vooraf{}", handlebars::html_escape(text)),
            "{text}"
        );
    }
}
