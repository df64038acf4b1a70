//! The `Controle` sheet (every finding and the check count) and the `Toelichting` sheet (the
//! appendix's texts and the run's metadata).

use rust_xlsxwriter::{Format, Table, TableColumn, TableStyle, Workbook, Worksheet};

use super::formula::absolute_range;
use super::style;
use super::tables::print_setup;
use super::{XlsxError, column_number, defined_name, row_number};
use crate::compute::{Finding, FindingKind};
use crate::render::{Appendix, Block};

/// The findings sheet's name.
pub(crate) const CONTROLE: &str = "Controle";
/// The texts sheet's name.
pub(crate) const TOELICHTING: &str = "Toelichting";

/// The columns of the findings table.
const FINDING_HEADERS: [&str; 9] = [
    "Ernst", "Soort", "Bestand", "Blad", "Cel", "Vermeld", "Berekend", "Verschil", "Melding",
];
/// The first of the amount columns in [`FINDING_HEADERS`].
const FIRST_AMOUNT: usize = 5;
/// The message column wraps beyond this width.
const MAX_MESSAGE_PX: u32 = 420;
/// The row of the findings table's header.
const FINDINGS_HEADER_ROW: u32 = 4;

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

/// The `Controle` sheet: the check count, then the findings as an Excel table.
///
/// # Errors
/// More findings than a sheet has rows, or a value rust_xlsxwriter refuses.
pub(crate) fn controle(workbook: &mut Workbook, appendix: &Appendix) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(CONTROLE)?;
    sheet.write_string_with_format(0, 0, "Controle", &style::title())?;
    sheet.set_row_height(0, 21)?;
    let checks = appendix.checks;
    sheet.write_string(
        1,
        0,
        format!(
            "{} van de {} controles in orde.",
            checks.passed, checks.total
        ),
    )?;
    let errors = appendix
        .findings
        .iter()
        .filter(|f| f.severity == crate::compute::Severity::Fout)
        .count();
    let warnings = appendix.findings.len() - errors;
    let summary = if appendix.findings.is_empty() {
        "Geen bevindingen.".to_string()
    } else {
        format!(
            "{} {}: {errors} {}, {warnings} {}. Verschil = berekend − vermeld.",
            appendix.findings.len(),
            if appendix.findings.len() == 1 {
                "bevinding"
            } else {
                "bevindingen"
            },
            if errors == 1 { "fout" } else { "fouten" },
            if warnings == 1 {
                "waarschuwing"
            } else {
                "waarschuwingen"
            },
        )
    };
    sheet.write_string(2, 0, summary)?;
    if let Some(left_out) = &appendix.left_out {
        sheet.write_string(3, 0, left_out)?;
    }

    let mut widths: [u32; 9] = FINDING_HEADERS.map(|h| style::width_px(h, true) + 20);
    if !appendix.findings.is_empty() {
        let amount = style::plain_amount(true);
        let top = Format::new().set_align(rust_xlsxwriter::FormatAlign::Top);
        let message_format = style::wrapped();
        let message_width = appendix
            .findings
            .iter()
            .map(|f| style::width_px(&f.message, false))
            .max()
            .unwrap_or(0)
            .clamp(widths[8], MAX_MESSAGE_PX);
        for (i, finding) in appendix.findings.iter().enumerate() {
            let row = row_number(CONTROLE, 5 + i)?;
            for (c, text) in finding_texts(finding).into_iter().enumerate() {
                let col = column_number(CONTROLE, c)?;
                sheet.write_string_with_format(row, col, text, &top)?;
                widths[c] = widths[c].max(style::width_px(text, false));
            }
            for (k, value) in [finding.stated, finding.computed, finding.difference]
                .into_iter()
                .enumerate()
            {
                let c = FIRST_AMOUNT + k;
                let col = column_number(CONTROLE, c)?;
                if let Some(value) = value {
                    sheet.write_number_with_format(row, col, style::number(value)?, &amount)?;
                    widths[c] = widths[c].max(style::width_px(&value.to_dutch(), false) + 8);
                }
            }
            sheet.write_string_with_format(row, 8, &finding.message, &message_format)?;
            let lines = style::lines(&finding.message, message_width);
            if lines > 1 {
                sheet.set_row_height(row, style::height(lines))?;
            }
        }
        widths[8] = message_width;
        let last_row = row_number(CONTROLE, 5 + appendix.findings.len() - 1)?;
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
            .set_name("Bevindingen")
            .set_style(TableStyle::Light1)
            .set_columns(&columns)
            .set_alt_text_title("Bevindingen")
            .set_alt_text(
                "Alle bevindingen van de controle: ernst, soort, plaats (bestand, blad, cel), het vermelde en het berekende bedrag, het verschil en de melding.",
            );
        sheet.add_table(FINDINGS_HEADER_ROW, 0, last_row, 8, &table)?;
        sheet.set_freeze_panes(FINDINGS_HEADER_ROW + 1, 0)?;
        sheet.set_repeat_rows(FINDINGS_HEADER_ROW, FINDINGS_HEADER_ROW)?;
    }
    for (c, width) in widths.into_iter().enumerate() {
        sheet.set_column_width_pixels(column_number(CONTROLE, c)?, width)?;
    }
    print_setup(sheet);
    Ok(())
}

/// The text column of the `Toelichting` sheet; headings and keys stand in column A.
const TEXT_PX: u32 = 640;
/// The key column.
const KEY_PX: u32 = 130;

/// The `Toelichting` sheet: title, the chapter's text, the Controle text, then the run's
/// metadata (peildatum, version, input files with their SHA-256).
///
/// # Errors
/// A value rust_xlsxwriter refuses.
pub(crate) fn toelichting(workbook: &mut Workbook, appendix: &Appendix) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(TOELICHTING)?;
    let mut row = 0usize;
    sheet.write_string_with_format(0, 0, &appendix.title, &style::title())?;
    sheet.set_row_height(0, 21)?;
    row += 2;
    for block in appendix.intro.iter().chain(appendix.controle_text.iter()) {
        row = write_block(sheet, row, block)?;
    }

    row += 1;
    let r = row_number(TOELICHTING, row)?;
    sheet.write_string_with_format(r, 0, "Over dit bestand", &style::bold().set_font_size(12))?;
    row += 1;
    let checks = appendix.checks;
    let facts = [
        ("Titel", appendix.title.clone()),
        (
            "Peildatum",
            format!("{} ({})", appendix.peildatum.to_dutch(), appendix.peildatum),
        ),
        ("Gemaakt door", format!("werkplan {}", appendix.version)),
        (
            "Controles",
            format!(
                "{} van de {} in orde; {} bevindingen",
                checks.passed,
                checks.total,
                appendix.findings.len()
            ),
        ),
    ];
    let key = style::bold().set_align(rust_xlsxwriter::FormatAlign::Top);
    let top = Format::new().set_align(rust_xlsxwriter::FormatAlign::Top);
    for (name, value) in facts {
        let r = row_number(TOELICHTING, row)?;
        sheet.write_string_with_format(r, 0, name, &key)?;
        sheet.write_string_with_format(r, 1, value, &top)?;
        row += 1;
    }
    let r = row_number(TOELICHTING, row)?;
    sheet.write_string_with_format(r, 0, "Invoerbestanden", &key)?;
    sheet.write_string_with_format(r, 1, "Bestand", &style::header(false))?;
    sheet.write_string_with_format(r, 2, "SHA-256", &style::header(false))?;
    let sources_header = r;
    row += 1;
    let mut hash_px = style::width_px("SHA-256", true);
    for source in &appendix.sources {
        let r = row_number(TOELICHTING, row)?;
        sheet.write_string(r, 1, &source.path)?;
        sheet.write_string(r, 2, &source.sha256)?;
        hash_px = hash_px.max(style::width_px(&source.sha256, false));
        row += 1;
    }
    sheet.set_column_width_pixels(0, KEY_PX)?;
    sheet.set_column_width_pixels(1, TEXT_PX)?;
    sheet.set_column_width_pixels(2, hash_px)?;
    print_setup(sheet);
    workbook.define_name(
        defined_name("Invoerbestanden", "_kop"),
        &absolute_range(TOELICHTING, (sources_header, 1), (sources_header, 2)),
    )?;
    Ok(())
}

/// One text block from `row`; returns the next free row.
fn write_block(sheet: &mut Worksheet, row: usize, block: &Block) -> Result<usize, XlsxError> {
    let next = match block {
        Block::Chapter(text) => {
            let r = row_number(TOELICHTING, row + 1)?;
            sheet.write_string_with_format(r, 0, text, &style::bold().set_font_size(13))?;
            sheet.set_row_height(r, 18)?;
            row + 2
        }
        Block::Section(text) => {
            let r = row_number(TOELICHTING, row + 1)?;
            sheet.write_string_with_format(r, 0, text, &style::bold())?;
            row + 2
        }
        Block::Paragraph(text) => {
            let r = row_number(TOELICHTING, row)?;
            sheet.write_string_with_format(r, 1, text, &style::wrapped())?;
            sheet.set_row_height(r, style::height(style::lines(text, TEXT_PX)))?;
            row + 1
        }
        Block::Bullet(text) => {
            let r = row_number(TOELICHTING, row)?;
            let shown = format!("• {text}");
            sheet.write_string_with_format(r, 1, &shown, &style::wrapped().set_indent(1))?;
            sheet.set_row_height(r, style::height(style::lines(&shown, TEXT_PX - 20)))?;
            row + 1
        }
    };
    Ok(next)
}
