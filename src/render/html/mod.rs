//! The web page: the publication as one self-contained, accessible HTML file.
//!
//! The page is drawn from the same [`Appendix`] as the PDF and XLSX: the format-neutral
//! [`ReportTable`]s (row style, column groups and amount text decided there), the rendered
//! text [`Block`]s and the [`Chart`] data. This module only turns them into a context of
//! plain values (texts, ids, spans, class names, bar coordinates) for the page skeleton, the
//! handlebars template `pagina.hbs`, which the [`Texts`] render with HTML escaping on: every
//! text from the spreadsheets reaches the page escaped. No clock, no random ids: the same
//! appendix gives the same bytes.
//!
//! The page prints no findings, file names, cells, paths or hashes: it is the publication.

mod svg;

use serde::Serialize;

use super::Appendix;
use super::chart::Chart;
use super::table::{ReportTable, Rule};
use super::text::{Block, TextError, Texts};
use crate::model::Money;

/// The web page could not be made.
#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    /// The page skeleton (`pagina.hbs`) does not render: it names a value the page does not
    /// have, or misuses a helper.
    #[error(transparent)]
    Template(#[from] TextError),
}

/// Renders the appendix as one HTML page, UTF-8.
///
/// # Parameters
/// - `appendix`: what the page shows.
/// - `texts`: the loaded templates; their page skeleton ([`super::text::PAGE_TEMPLATE`]) is
///   rendered.
///
/// # Errors
/// [`HtmlError::Template`] when the page skeleton does not render.
///
/// # Examples
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let loaded = werkplan::app::load(std::path::Path::new("input"), None, None)?;
/// let texts = werkplan::render::Texts::load(None)?;
/// let html = werkplan::render::html::render(&loaded.appendix, &texts)?;
/// assert!(html.starts_with(b"<!DOCTYPE html>"));
/// # Ok(())
/// # }
/// ```
pub fn render(appendix: &Appendix, texts: &Texts) -> Result<Vec<u8>, HtmlError> {
    let page = texts.render_page(&Page::from(appendix))?;
    Ok(page.into_bytes())
}

/// What the page skeleton can show. Field names are Dutch, like the text templates': they
/// are what template authors write.
#[derive(Serialize)]
struct Page {
    /// The document title: `Financiën werkplan 2022 Sociale Agenda`.
    titel: String,
    /// The werkplan's year.
    jaar: i32,
    /// The peildatum in words: `31 december 2021`.
    peildatum: String,
    /// The peildatum in ISO notation, for `<time datetime>`.
    peildatum_iso: String,
    /// The version of werkplan that made the page.
    versie: String,
    /// The document's subject, for the page's description.
    onderwerp: String,
    /// The sender line above the title: `Provincie Drenthe · Sociale Agenda`.
    afzender: String,
    /// The chapter text before the tables.
    tekst: Vec<TextBlock>,
    /// The tables, each with its chart.
    tabellen: Vec<Table>,
    /// The charts without a table (the monthly run's realisation), each with its figures.
    grafieken: Vec<Figure>,
    /// The section `Wijzigingen ten opzichte van ...`, when the run was compared with a
    /// basis.
    wijzigingen: Option<ChangesPart>,
}

/// The actualisatie's section: its text (the heading first) and one table per instrument
/// with changes.
#[derive(Serialize)]
struct ChangesPart {
    /// The text: heading, summary, effect per instrument.
    tekst: Vec<TextBlock>,
    /// The change tables (`wijziging-1`, ...), without charts.
    tabellen: Vec<Table>,
}

impl From<&Appendix> for Page {
    fn from(appendix: &Appendix) -> Page {
        let mut charts_done = vec![false; appendix.charts.len()];
        let mut figure = 0;
        let mut next_figure = |chart: &Chart| {
            figure += 1;
            Figure::from_chart(chart, figure)
        };
        let tabellen = appendix
            .tables
            .iter()
            .enumerate()
            .map(|(i, table)| {
                let chart = appendix
                    .charts
                    .iter()
                    .position(|c| c.instrument == table.instrument);
                if let Some(done) = chart.and_then(|c| charts_done.get_mut(c)) {
                    *done = true;
                }
                let grafiek = chart.map(|c| next_figure(&appendix.charts[c]));
                Table::from_report(table, &format!("tabel-{}", i + 1), grafiek)
            })
            .collect();
        let grafieken = appendix
            .charts
            .iter()
            .zip(charts_done)
            .filter(|(_, done)| !done)
            .map(|(chart, _)| next_figure(chart))
            .collect();
        Page {
            titel: appendix.title.clone(),
            jaar: appendix.year,
            peildatum: appendix.peildatum.to_dutch(),
            peildatum_iso: appendix.peildatum.to_string(),
            versie: appendix.version.clone(),
            onderwerp: appendix.subject.clone(),
            afzender: appendix.sender.clone(),
            tekst: text_blocks(&appendix.intro),
            tabellen,
            grafieken,
            wijzigingen: appendix.changes.as_ref().map(|section| ChangesPart {
                tekst: text_blocks(&section.text),
                tabellen: section
                    .tables
                    .iter()
                    .enumerate()
                    .map(|(i, table)| {
                        Table::from_report(table, &format!("wijziging-{}", i + 1), None)
                    })
                    .collect(),
            }),
        }
    }
}

/// A block of text: a heading, a paragraph or a list of consecutive bullets. Exactly one
/// field is set.
#[derive(Debug, Default, PartialEq, Eq, Serialize)]
struct TextBlock {
    /// A chapter heading (`# `).
    hoofdstuk: Option<String>,
    /// A section heading (`## `).
    paragraaf: Option<String>,
    /// A paragraph.
    alinea: Option<String>,
    /// The items of a bulleted list (empty otherwise).
    lijst: Vec<String>,
}

/// `text` with a no-break space after each euro sign that a space follows, so running text
/// never ends a line with `€` and starts the next with its amount (`budget van €` /
/// `3.160.000`). The tables' amount cells do not wrap at all (`white-space: nowrap`).
fn keep_euro_with_amount(text: &str) -> String {
    text.replace("€ ", "€\u{a0}")
}

/// The blocks, consecutive bullets gathered into one list; a euro sign kept on the line of
/// its amount ([`keep_euro_with_amount`]).
fn text_blocks(blocks: &[Block]) -> Vec<TextBlock> {
    let mut out: Vec<TextBlock> = Vec::new();
    for block in blocks {
        let new = match block {
            Block::Bullet(item) => {
                let item = keep_euro_with_amount(item);
                if let Some(list) = out.last_mut().filter(|b| !b.lijst.is_empty()) {
                    list.lijst.push(item);
                    continue;
                }
                TextBlock {
                    lijst: vec![item],
                    ..TextBlock::default()
                }
            }
            Block::Chapter(text) => TextBlock {
                hoofdstuk: Some(text.clone()),
                ..TextBlock::default()
            },
            Block::Section(text) => TextBlock {
                paragraaf: Some(text.clone()),
                ..TextBlock::default()
            },
            Block::Paragraph(text) => TextBlock {
                alinea: Some(keep_euro_with_amount(text)),
                ..TextBlock::default()
            },
        };
        out.push(new);
    }
    out
}

/// A report table as the page draws it.
#[derive(Debug, Serialize)]
struct Table {
    /// The table's id, unique in the page (`tabel-1`); its parts' ids start with it.
    id: String,
    /// The title, shown as the caption.
    titel: String,
    /// The column groups (`<colgroup span>`): the label column, then each amount column or
    /// group of amount columns under one header.
    kolomgroepen: Vec<usize>,
    /// The header rows: one, or two under grouped headers.
    kop: Vec<Vec<HeaderCell>>,
    /// The body rows, already HTML (`<tr>` elements, each on its own line): the bulk of the
    /// page, written straight into a string ([`rows_html`]) instead of going through the
    /// template row by row. The skeleton inserts it unescaped (`{{{rijen_html}}}`).
    rijen_html: String,
    /// The footnotes under the table.
    noten: Vec<Note>,
    /// The table's chart, if it has one.
    grafiek: Option<Figure>,
}

/// A header cell.
#[derive(Debug, PartialEq, Eq, Serialize)]
struct HeaderCell {
    /// The text.
    tekst: String,
    /// `col` or `colgroup`.
    scope: &'static str,
    /// Columns spanned, when more than one.
    colspan: Option<usize>,
    /// Rows spanned, when more than one.
    rowspan: Option<usize>,
    /// Whether it heads amounts (right-aligned).
    bedrag: bool,
}

/// An amount cell.
#[derive(Debug, Serialize)]
struct Cell {
    /// The amount as every format prints it; `None` for an empty cell.
    tekst: Option<String>,
    /// Whether the amount is below zero.
    negatief: bool,
    /// A footnote marker after the amount.
    noot: Option<NoteRef>,
}

/// A footnote marker, linked to its note.
#[derive(Debug, Serialize)]
struct NoteRef {
    /// The marker (`*`).
    teken: String,
    /// The marker's own id, which the note links back to.
    id: String,
    /// The note's id.
    noot: String,
}

/// A footnote.
#[derive(Debug, Serialize)]
struct Note {
    /// The note's id.
    id: String,
    /// The marker.
    teken: String,
    /// The text.
    tekst: String,
    /// The id of the first marker that refers to it, if one does.
    terug: Option<String>,
}

impl Table {
    fn from_report(table: &ReportTable, id: &str, grafiek: Option<Figure>) -> Table {
        let mut noten: Vec<Note> = table
            .footnotes
            .iter()
            .enumerate()
            .map(|(i, note)| Note {
                id: format!("{id}-noot-{}", i + 1),
                teken: note.marker.clone(),
                tekst: keep_euro_with_amount(&note.text),
                terug: None,
            })
            .collect();
        // every marker gets an id of its own; its note links back to the first one
        let mut markers = 0;
        let mut link = |marker: &str| -> Option<NoteRef> {
            let note = noten.iter_mut().find(|n| n.teken == marker)?;
            markers += 1;
            let own = format!("{id}-verwijzing-{markers}");
            note.terug.get_or_insert_with(|| own.clone());
            Some(NoteRef {
                teken: marker.to_string(),
                id: own,
                noot: note.id.clone(),
            })
        };
        let rijen_html = rows_html(table, &mut link);
        let (kolomgroepen, kop) = header(table);
        Table {
            id: id.to_string(),
            titel: table.title.clone(),
            kolomgroepen,
            kop,
            rijen_html,
            noten,
            grafiek,
        }
    }
}

/// The body rows of a table as HTML, one `<tr>` a line, exactly as the skeleton's row loop
/// drew them before (the bytes of the page did not change): a row's classes from its style,
/// the label as the row header (bullet, code, remark or footnote marker beside it), then one
/// `<td>` per amount column. Every text is escaped like handlebars escapes `{{value}}`
/// ([`push_escaped`]); `link` gives a marker its reference to a footnote.
fn rows_html(table: &ReportTable, link: &mut impl FnMut(&str) -> Option<NoteRef>) -> String {
    let mut out = String::with_capacity(table.rows.len() * (200 + 60 * table.columns.len()));
    for (r, row) in table.rows.iter().enumerate() {
        let style = table.row_style(r);
        let classes = [
            (style.bold, "vet"),
            (style.italic, "cursief"),
            (style.indented, "ingesprongen"),
            (style.band, "band"),
            (style.rule == Rule::AboveFigures, "lijn-bedragen"),
            (style.rule == Rule::TableTotal, "totaal"),
        ];
        out.push_str("<tr");
        let mut first = true;
        for (_, name) in classes.iter().filter(|(on, _)| *on) {
            out.push_str(if first { " class=\"" } else { " " });
            out.push_str(name);
            first = false;
        }
        if !first {
            out.push('"');
        }
        // handlebars' `{{#if}}` takes an empty text for none
        let code = row.code.as_deref().filter(|c| !c.is_empty());
        out.push_str("><th scope=\"row\"");
        if style.bullet || code.is_some() {
            out.push_str(" class=\"hangend\"");
        }
        out.push('>');
        if style.bullet {
            out.push_str("<span class=\"opsomteken\" aria-hidden=\"true\">•</span>");
        }
        if let Some(code) = code {
            out.push_str("<span class=\"code\">");
            push_escaped(&mut out, code);
            out.push_str("</span> ");
        }
        push_escaped(&mut out, &row.label);
        // a remark that is a footnote's marker is that footnote's reference
        if let Some(remark) = row.remark.as_deref() {
            match link(remark) {
                Some(reference) => push_note_ref(&mut out, &reference),
                None if remark.is_empty() => {}
                None => {
                    out.push_str(" <span class=\"opmerking\">");
                    push_escaped(&mut out, remark);
                    out.push_str("</span>");
                }
            }
        }
        out.push_str("</th>\n");
        for (c, cell) in row.cells.iter().enumerate() {
            out.push_str("<td class=\"bedrag");
            if cell.value.is_some_and(Money::is_negative) {
                out.push_str(" negatief");
            }
            out.push_str("\">");
            if let Some(text) = table.amount_text(r, c) {
                push_escaped(&mut out, &text);
            }
            if let Some(reference) = cell.marker.as_deref().and_then(&mut *link) {
                push_note_ref(&mut out, &reference);
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out
}

/// Appends a footnote marker linked to its note: `<sup><a id href>*<span>…</span></a></sup>`.
fn push_note_ref(out: &mut String, reference: &NoteRef) {
    out.push_str("<sup><a id=\"");
    push_escaped(out, &reference.id);
    out.push_str("\" href=\"#");
    push_escaped(out, &reference.noot);
    out.push_str("\">");
    push_escaped(out, &reference.teken);
    out.push_str("<span class=\"sr-only\"> (voetnoot)</span></a></sup>");
}

/// Appends `text` HTML-escaped exactly as handlebars' default escape function
/// ([`handlebars::html_escape`]) does for `{{value}}` in the skeleton, so that rows written
/// here and values the template writes are escaped alike.
fn push_escaped(out: &mut String, text: &str) {
    let mut done = 0;
    for (at, c) in text.char_indices() {
        let escaped = match c {
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '&' => "&amp;",
            '\'' => "&#x27;",
            '`' => "&#x60;",
            '=' => "&#x3D;",
            _ => continue,
        };
        out.push_str(&text[done..at]);
        out.push_str(escaped);
        done = at + 1;
    }
    out.push_str(&text[done..]);
}

/// The column groups and header rows of a table: one header row, or two when columns have
/// a group header (`Toegekend` over the rounds, the other headers spanning both rows).
fn header(table: &ReportTable) -> (Vec<usize>, Vec<Vec<HeaderCell>>) {
    let groups = table.column_groups();
    let height = if table.grouped() { 2 } else { 1 };
    let rowspan = (height > 1).then_some(height);
    let mut spans = vec![1];
    let mut top = vec![HeaderCell {
        tekst: table.label_header.clone(),
        scope: "col",
        colspan: None,
        rowspan,
        bedrag: false,
    }];
    let mut below = Vec::new();
    let mut column = 0;
    while column < table.columns.len() {
        if let Some(group) = groups.iter().find(|g| g.first == column) {
            let span = group.last - group.first + 1;
            spans.push(span);
            top.push(HeaderCell {
                tekst: group.label.clone(),
                scope: "colgroup",
                colspan: (span > 1).then_some(span),
                rowspan: None,
                bedrag: true,
            });
            below.extend(
                table.columns[group.first..=group.last]
                    .iter()
                    .map(|c| HeaderCell {
                        tekst: c.label.clone(),
                        scope: "col",
                        colspan: None,
                        rowspan: None,
                        bedrag: true,
                    }),
            );
            column = group.last + 1;
        } else {
            spans.push(1);
            top.push(HeaderCell {
                tekst: table.columns[column].label.clone(),
                scope: "col",
                colspan: None,
                rowspan,
                bedrag: true,
            });
            column += 1;
        }
    }
    let mut rows = vec![top];
    if !below.is_empty() {
        rows.push(below);
    }
    (spans, rows)
}

/// A chart with its figures as a table beside it.
#[derive(Debug, Serialize)]
struct Figure {
    /// The figure's id, unique in the page (`grafiek-1`).
    id: String,
    /// The figure's number (`Figuur 1`).
    nummer: usize,
    /// The chart's title.
    titel: String,
    /// The chart described in words, with its figures.
    beschrijving: String,
    /// The drawing.
    svg: svg::Drawing,
    /// The data table's header: what a category is, then the series.
    kop: Vec<String>,
    /// The data table's rows: the category, then one amount per series.
    rijen: Vec<FigureRow>,
}

/// A row of a chart's data table.
#[derive(Debug, Serialize)]
struct FigureRow {
    /// The category (`1 Leefbaarheid en bereikbaarheid`, `januari`).
    categorie: String,
    /// One amount per series.
    waarden: Vec<Cell>,
}

impl Figure {
    fn from_chart(chart: &Chart, number: usize) -> Figure {
        // each series settled its precision with the tables' rule
        let cents: Vec<bool> = chart.series.iter().map(|s| s.cents).collect();
        let rijen = chart
            .categories
            .iter()
            .enumerate()
            .map(|(i, category)| FigureRow {
                categorie: category.clone(),
                waarden: chart
                    .series
                    .iter()
                    .map(|series| {
                        let value = series.values.get(i).copied();
                        Cell {
                            tekst: series.amount_text(i),
                            negatief: value.is_some_and(Money::is_negative),
                            noot: None,
                        }
                    })
                    .collect(),
            })
            .collect();
        let mut kop = vec![chart.category_header().to_string()];
        kop.extend(chart.series.iter().map(|s| s.name.clone()));
        Figure {
            id: format!("grafiek-{number}"),
            nummer: number,
            titel: chart.title.clone(),
            beschrijving: chart.alt_text.clone(),
            svg: svg::Drawing::of(chart, &cents),
            kop,
            rijen,
        }
    }
}

#[cfg(test)]
mod tests;
