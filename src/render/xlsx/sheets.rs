//! The sheets of text. In the publication: `Toelichting` (the appendix's texts and what the
//! file is). In the control report: `Controle` (the Controle text and the run's facts),
//! `Bevindingen` (every finding with its place, stated, computed and difference) and
//! `Bronnen` (the input files with their SHA-256).

use rust_xlsxwriter::{Format, FormatAlign, Table, TableColumn, TableStyle, Workbook, Worksheet};

use super::style;
use super::tables::print_setup;
use super::{XlsxError, column_number, row_number};
use crate::compute::{Finding, FindingKind};
use crate::render::{Appendix, Block};

/// The control report's summary sheet.
pub(crate) const CONTROLE: &str = "Controle";
/// The control report's findings sheet.
pub(crate) const BEVINDINGEN: &str = "Bevindingen";
/// The control report's sources sheet.
pub(crate) const BRONNEN: &str = "Bronnen";
/// The publication's texts sheet.
pub(crate) const TOELICHTING: &str = "Toelichting";

/// The columns of the findings table.
const FINDING_HEADERS: [&str; 9] = [
    "Ernst", "Soort", "Bestand", "Blad", "Cel", "Vermeld", "Berekend", "Verschil", "Melding",
];
/// The first of the amount columns in [`FINDING_HEADERS`].
const FIRST_AMOUNT: usize = 5;
/// The message column wraps beyond this width.
const MAX_MESSAGE_PX: u32 = 420;
/// Room beside an amount for the table's filter button and a gap before the next column,
/// so that a figure never runs into the message beside it.
const AMOUNT_ROOM_PX: u32 = 28;

/// The kind of a finding in words.
fn kind_word(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::AfwijkendTotaal => "afwijkend totaal",
        FindingKind::Overbesteed => "overbesteed",
        FindingKind::Invoer => "invoer",
        FindingKind::Lettertype => "lettertype",
    }
}

/// The text cells of a finding, in [`FINDING_HEADERS`] order (without the amounts).
fn finding_texts(finding: &Finding) -> [&str; 5] {
    [
        finding.severity.word(),
        kind_word(finding.kind),
        &finding.place.file,
        &finding.place.sheet,
        &finding.place.cell,
    ]
}

/// The `Bevindingen` sheet: every finding as an Excel table (a header only when there are
/// none), amounts as numbers.
///
/// # Errors
/// More findings than a sheet has rows, or a value rust_xlsxwriter refuses.
pub(crate) fn findings(workbook: &mut Workbook, findings: &[Finding]) -> Result<(), XlsxError> {
    finding_sheet(
        workbook,
        BEVINDINGEN,
        "Alle bevindingen van de controle: ernst, soort, plaats (bestand in de invoermap, blad, cel), het vermelde en het berekende bedrag, het verschil (berekend min vermeld) en de melding.",
        findings,
    )
}

/// A sheet named `name` with `findings` as an Excel table of the same name (a header only
/// when there are none), amounts as numbers; `about` is the table's alternative text.
///
/// # Errors
/// More findings than a sheet has rows, or a value rust_xlsxwriter refuses.
pub(crate) fn finding_sheet(
    workbook: &mut Workbook,
    name: &str,
    about: &str,
    findings: &[Finding],
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    let mut widths: [u32; 9] = FINDING_HEADERS.map(|h| style::width_px(h, true) + 20);
    // a figure keeps a space from the message beside it
    let amount = style::plain_amount(true).set_indent(1);
    let top = Format::new().set_align(FormatAlign::Top);
    let message_format = style::wrapped().set_indent(1);
    let message_width = findings
        .iter()
        .map(|f| style::width_px(&f.message, false) + 12)
        .max()
        .unwrap_or(0)
        .clamp(widths[8], MAX_MESSAGE_PX);
    for (i, finding) in findings.iter().enumerate() {
        let row = row_number(name, 1 + i)?;
        for (c, text) in finding_texts(finding).into_iter().enumerate() {
            let col = column_number(name, c)?;
            sheet.write_string_with_format(row, col, text, &top)?;
            widths[c] = widths[c].max(style::width_px(text, false));
        }
        for (k, value) in [finding.stated, finding.computed, finding.difference]
            .into_iter()
            .enumerate()
        {
            let c = FIRST_AMOUNT + k;
            let col = column_number(name, c)?;
            if let Some(value) = value {
                sheet.write_number_with_format(row, col, style::number(value)?, &amount)?;
                widths[c] =
                    widths[c].max(style::width_px(&value.to_dutch(), false) + AMOUNT_ROOM_PX);
            }
        }
        sheet.write_string_with_format(row, 8, &finding.message, &message_format)?;
        let lines = style::lines(&finding.message, message_width - 12);
        if lines > 1 {
            sheet.set_row_height(row, style::height(lines))?;
        }
    }
    widths[8] = message_width;
    let last_row = row_number(name, findings.len().max(1))?;
    // amount headers right-aligned over their figures
    let columns: Vec<TableColumn> = FINDING_HEADERS
        .iter()
        .enumerate()
        .map(|(c, h)| {
            let amount = (FIRST_AMOUNT..FIRST_AMOUNT + 3).contains(&c);
            TableColumn::new()
                .set_header(*h)
                .set_header_format(style::header(amount))
        })
        .collect();
    let table = Table::new()
        .set_name(super::defined_name(name, ""))
        .set_style(TableStyle::Light1)
        .set_columns(&columns)
        .set_alt_text_title(name)
        .set_alt_text(about);
    sheet.add_table(0, 0, last_row, 8, &table)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_repeat_rows(0, 0)?;
    for (c, width) in widths.into_iter().enumerate() {
        sheet.set_column_width_pixels(column_number(name, c)?, width)?;
    }
    print_setup(sheet);
    Ok(())
}

/// The `Bronnen` sheet: each input file (its name in the input folder) with its SHA-256.
///
/// # Errors
/// More files than a sheet has rows, or a value rust_xlsxwriter refuses.
pub(crate) fn sources(workbook: &mut Workbook, appendix: &Appendix) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(BRONNEN)?;
    let sources = &appendix.control.sources;
    let mut file_px = style::width_px("Bestand", true) + 20;
    let mut hash_px = style::width_px("SHA-256", true) + 20;
    for (i, source) in sources.iter().enumerate() {
        let row = row_number(BRONNEN, 1 + i)?;
        sheet.write_string(row, 0, &source.path)?;
        sheet.write_string(row, 1, &source.sha256)?;
        file_px = file_px.max(style::width_px(&source.path, false));
        hash_px = hash_px.max(style::width_px(&source.sha256, false));
    }
    let columns = ["Bestand", "SHA-256"].map(|h| {
        TableColumn::new()
            .set_header(h)
            .set_header_format(style::header(false))
    });
    let table = Table::new()
        .set_name("Bronnen")
        .set_style(TableStyle::Light1)
        .set_columns(&columns)
        .set_alt_text_title("Bronbestanden")
        .set_alt_text("De gelezen invoerbestanden, elk met de SHA-256 van zijn inhoud.");
    sheet.add_table(0, 0, row_number(BRONNEN, sources.len().max(1))?, 1, &table)?;
    sheet.set_column_width_pixels(0, file_px)?;
    sheet.set_column_width_pixels(1, hash_px)?;
    print_setup(sheet);
    Ok(())
}

/// The text column of the text sheets; headings and keys stand in column A.
pub(crate) const TEXT_PX: u32 = 640;
/// The key column.
const KEY_PX: u32 = 130;

/// The control report's `Controle` sheet: its title, the Controle text (counts, what the
/// peildatum left out), then the peildatum and the version as facts.
///
/// # Errors
/// A value rust_xlsxwriter refuses.
pub(crate) fn controle(workbook: &mut Workbook, appendix: &Appendix) -> Result<(), XlsxError> {
    let control = &appendix.control;
    // the counts are the template's sentences, not facts of their own: one text for the PDF
    // and the XLSX
    let facts = [
        (
            "Peildatum",
            format!("{} ({})", appendix.peildatum.to_dutch(), appendix.peildatum),
        ),
        ("Gemaakt door", format!("werkplan {}", appendix.version)),
    ];
    text_sheet(workbook, CONTROLE, &control.title, &control.text, &facts)
}

/// The publication's `Toelichting` sheet: title, the chapter's text, then what the file is
/// (title, peildatum, version); nothing of the control.
///
/// # Errors
/// A value rust_xlsxwriter refuses.
pub(crate) fn toelichting(workbook: &mut Workbook, appendix: &Appendix) -> Result<(), XlsxError> {
    let facts = [
        ("Titel", appendix.title.clone()),
        (
            "Peildatum",
            format!("{} ({})", appendix.peildatum.to_dutch(), appendix.peildatum),
        ),
        ("Gemaakt door", format!("werkplan {}", appendix.version)),
    ];
    text_sheet(
        workbook,
        TOELICHTING,
        &appendix.title,
        &appendix.intro,
        &facts,
    )
}

/// A sheet of text: the title, the blocks, then `Over dit bestand` with the facts.
fn text_sheet(
    workbook: &mut Workbook,
    name: &str,
    title: &str,
    blocks: &[Block],
    facts: &[(&str, String)],
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    sheet.write_string_with_format(0, 0, title, &style::title())?;
    sheet.set_row_height(0, 21)?;
    let mut row = 2usize;
    // a text that opens with the title (the control report's) does not print it twice
    let blocks = match blocks.first() {
        Some(Block::Chapter(first)) if first == title => &blocks[1..],
        _ => blocks,
    };
    for block in blocks {
        row = write_block(sheet, name, row, block)?;
    }
    row += 1;
    let r = row_number(name, row)?;
    sheet.write_string_with_format(r, 0, "Over dit bestand", &style::bold().set_font_size(12))?;
    row += 1;
    let key = style::bold().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    for (key_text, value) in facts {
        let r = row_number(name, row)?;
        sheet.write_string_with_format(r, 0, *key_text, &key)?;
        sheet.write_string_with_format(r, 1, value, &top)?;
        row += 1;
    }
    sheet.set_column_width_pixels(0, KEY_PX)?;
    sheet.set_column_width_pixels(1, TEXT_PX)?;
    print_setup(sheet);
    Ok(())
}

/// One text block from `row`; returns the next free row.
pub(crate) fn write_block(
    sheet: &mut Worksheet,
    name: &str,
    row: usize,
    block: &Block,
) -> Result<usize, XlsxError> {
    let next = match block {
        Block::Chapter(text) => {
            let r = row_number(name, row + 1)?;
            sheet.write_string_with_format(r, 0, text, &style::bold().set_font_size(13))?;
            sheet.set_row_height(r, 18)?;
            row + 2
        }
        Block::Section(text) => {
            let r = row_number(name, row + 1)?;
            sheet.write_string_with_format(r, 0, text, &style::bold())?;
            row + 2
        }
        Block::Paragraph(text) => {
            let r = row_number(name, row)?;
            sheet.write_string_with_format(r, 1, text, &style::wrapped())?;
            sheet.set_row_height(r, style::height(style::lines(text, TEXT_PX)))?;
            row + 1
        }
        Block::Bullet(text) => {
            let r = row_number(name, row)?;
            let shown = format!("• {text}");
            sheet.write_string_with_format(r, 1, &shown, &style::wrapped().set_indent(1))?;
            sheet.set_row_height(r, style::height(style::lines(&shown, TEXT_PX - 20)))?;
            row + 1
        }
    };
    Ok(next)
}
