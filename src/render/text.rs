//! The report's texts: handlebars templates rendered from the computed report.
//!
//! Every figure the prose quotes comes from the report through the helpers `euro`, `datum`
//! and `aantal`, so text and tables cannot disagree. The default templates are compiled in;
//! `--templates DIR` replaces any of them with `DIR/<name>.hbs`. Strict mode is on: a
//! template that names a figure the report does not have is an error naming the template
//! and line.
//!
//! A rendered template is a small plain-text markup: `# ` a chapter heading, `## ` a section
//! heading, `- ` a bullet, a blank line between paragraphs. [`Block`]s are what the PDF and
//! XLSX renderers print.

use std::path::Path;

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason,
};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::compute::Report;
use crate::model::{Date, Money};

/// The templates, by name, with their compiled-in defaults.
pub const TEMPLATES: [(&str, &str); 2] = [
    ("financien", include_str!("../../templates/financien.hbs")),
    ("controle", include_str!("../../templates/controle.hbs")),
];

/// A block of rendered text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "soort", content = "tekst", rename_all = "kebab-case")]
pub enum Block {
    /// A chapter heading (`# `), tagged H1 in the PDF.
    Chapter(String),
    /// A section heading (`## `), tagged H2 in the PDF.
    Section(String),
    /// A paragraph: consecutive lines joined with spaces.
    Paragraph(String),
    /// A bullet item (`- `).
    Bullet(String),
}

/// A template that could not be loaded or rendered.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    /// A replacement template could not be read.
    #[error("sjabloon {path}: kan niet worden gelezen: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A template does not parse.
    #[error("sjabloon {name}{}: {reason}", line.map(|l| format!(", regel {l}")).unwrap_or_default())]
    Syntax {
        /// The template's name.
        name: String,
        /// The line, if known.
        line: Option<usize>,
        /// The parser's words.
        reason: String,
    },
    /// A template does not render (an unknown figure, a helper given the wrong value).
    #[error("sjabloon {name}{}: {reason}", line.map(|l| format!(", regel {l}")).unwrap_or_default())]
    Render {
        /// The template's name.
        name: String,
        /// The line, if known.
        line: Option<usize>,
        /// What went wrong.
        reason: String,
    },
}

/// The loaded templates.
pub struct Texts {
    registry: Handlebars<'static>,
}

impl Texts {
    /// Loads the templates: the compiled-in defaults, each replaced by `dir/<name>.hbs` when
    /// `dir` is given and has that file.
    ///
    /// # Errors
    /// A replacement that cannot be read or a template that does not parse.
    pub fn load(dir: Option<&Path>) -> Result<Texts, TextError> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(handlebars::no_escape);
        registry.register_helper("euro", Box::new(euro_helper));
        registry.register_helper("datum", Box::new(datum_helper));
        registry.register_helper("aantal", Box::new(aantal_helper));
        for (name, default) in TEMPLATES {
            let replacement = dir
                .map(|d| d.join(format!("{name}.hbs")))
                .filter(|p| p.is_file());
            let source = match &replacement {
                Some(path) => std::fs::read_to_string(path).map_err(|source| TextError::Read {
                    path: path.display().to_string(),
                    source,
                })?,
                None => default.to_string(),
            };
            let shown = replacement
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| format!("{name}.hbs"));
            registry
                .register_template_string(name, source)
                .map_err(|e| TextError::Syntax {
                    name: shown,
                    line: e.pos().map(|(line, _)| line),
                    reason: e.reason().to_string(),
                })?;
        }
        Ok(Texts { registry })
    }

    /// Renders one template with the report's figures.
    ///
    /// # Errors
    /// A template that refers to a figure the report does not have, or misuses a helper.
    pub fn render(&self, name: &str, report: &Report) -> Result<Vec<Block>, TextError> {
        let context = TextContext::from(report);
        let text = self
            .registry
            .render(name, &context)
            .map_err(|e| TextError::Render {
                name: format!(
                    "{}.hbs",
                    e.template_name.clone().unwrap_or_else(|| name.to_string())
                ),
                line: e.line_no,
                reason: e.reason().to_string(),
            })?;
        Ok(blocks(&text))
    }
}

/// What the templates can quote. Field names are Dutch: they are what template authors write.
#[derive(Serialize)]
struct TextContext {
    jaar: i32,
    peildatum: Date,
    regulier: TableFigures,
    drenthe_breed: TableFigures,
    alliantie: AllianceFigures,
    controles: CheckFigures,
}

#[derive(Serialize)]
struct TableFigures {
    /// The table total per column, by column label.
    totalen: Vec<ColumnFigure>,
    /// The total budget (Drenthe-brede: `Totaal budget`), if the table has that column.
    budget: Option<Money>,
    /// Number of lines.
    regels: usize,
}

#[derive(Serialize)]
struct ColumnFigure {
    kolom: String,
    totaal: Money,
}

#[derive(Serialize)]
struct AllianceFigures {
    budget: Money,
    toegekend: Money,
    resterend: Money,
    projecten: usize,
    rondes: usize,
}

#[derive(Serialize)]
struct CheckFigures {
    totaal: usize,
    in_orde: usize,
    bevindingen: usize,
    fouten: usize,
    waarschuwingen: usize,
}

impl From<&Report> for TextContext {
    fn from(report: &Report) -> TextContext {
        let table = |t: &crate::compute::TableReport| TableFigures {
            totalen: t
                .columns
                .iter()
                .zip(&t.totals)
                .map(|(c, v)| ColumnFigure {
                    kolom: c.label.clone(),
                    totaal: *v,
                })
                .collect(),
            budget: t
                .column(&crate::compute::ReportColumnKind::Input(
                    crate::model::ColumnKind::TotaalBudget,
                ))
                .map(|i| t.totals[i]),
            regels: t.sections.iter().map(|s| s.lines.len()).sum(),
        };
        TextContext {
            jaar: report.year,
            peildatum: report.peildatum,
            regulier: table(&report.regulier),
            drenthe_breed: table(&report.drenthe_breed),
            alliantie: AllianceFigures {
                budget: report.alliantie.budget,
                toegekend: report.alliantie.awarded,
                resterend: report.alliantie.remaining,
                projecten: report.alliantie.projects,
                rondes: report.alliantie.rounds.len(),
            },
            controles: CheckFigures {
                totaal: report.checks.total,
                in_orde: report.checks.passed,
                bevindingen: report.findings.len(),
                fouten: report.errors().count(),
                waarschuwingen: report.warnings().count(),
            },
        }
    }
}

fn param<'a>(h: &'a Helper, helper: &'static str) -> Result<&'a serde_json::Value, RenderError> {
    h.param(0)
        .map(|p| p.value())
        .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex(helper, 0).into())
}

fn wrong(helper: &'static str, value: &serde_json::Value, expected: &str) -> RenderError {
    RenderErrorReason::Other(format!("{helper} verwacht {expected}, kreeg {value}")).into()
}

/// `{{euro alliantie.budget}}` -> `€ 3.750.000`; cents are shown only when there are any.
fn euro_helper(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let value = param(h, "euro")?;
    let money = value
        .as_str()
        .and_then(|s| s.parse::<Decimal>().ok())
        .and_then(Money::from_decimal)
        .ok_or_else(|| wrong("euro", value, "een bedrag"))?;
    out.write(&money.to_dutch_with(false))?;
    Ok(())
}

/// `{{datum peildatum}}` -> `1 januari 2022`.
fn datum_helper(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let value = param(h, "datum")?;
    let date = value
        .as_str()
        .and_then(Date::parse_iso)
        .ok_or_else(|| wrong("datum", value, "een datum"))?;
    out.write(&date.to_dutch())?;
    Ok(())
}

/// `{{aantal alliantie.rondes}}` -> `drie`: numbers up to twenty in words, larger ones in
/// digits with thousands separators, as Dutch prose writes them.
fn aantal_helper(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let value = param(h, "aantal")?;
    let n = value
        .as_u64()
        .ok_or_else(|| wrong("aantal", value, "een aantal"))?;
    out.write(&number_in_words(n))?;
    Ok(())
}

/// Dutch prose numbers: words up to twenty, then digits (`32`, `1.200`).
pub fn number_in_words(n: u64) -> String {
    const WORDS: [&str; 21] = [
        "nul",
        "één",
        "twee",
        "drie",
        "vier",
        "vijf",
        "zes",
        "zeven",
        "acht",
        "negen",
        "tien",
        "elf",
        "twaalf",
        "dertien",
        "veertien",
        "vijftien",
        "zestien",
        "zeventien",
        "achttien",
        "negentien",
        "twintig",
    ];
    match WORDS.get(n as usize) {
        Some(word) if n <= 20 => (*word).to_string(),
        _ => Money::from_cents((n as i64).saturating_mul(100)).to_dutch_plain(false),
    }
}

/// Splits rendered text into blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            out.push(Block::Paragraph(paragraph.join(" ")));
            paragraph.clear();
        }
    };
    let mut in_bullet = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            flush(&mut paragraph, &mut out);
            in_bullet = false;
        } else if let Some(rest) = line.strip_prefix("## ") {
            flush(&mut paragraph, &mut out);
            in_bullet = false;
            out.push(Block::Section(rest.trim().to_string()));
        } else if let Some(rest) = line.strip_prefix("# ") {
            flush(&mut paragraph, &mut out);
            out.push(Block::Chapter(rest.trim().to_string()));
        } else if let Some(rest) = line.strip_prefix("- ") {
            flush(&mut paragraph, &mut out);
            out.push(Block::Bullet(rest.trim().to_string()));
            in_bullet = true;
        } else if let (Some(Block::Bullet(item)), true) = (out.last_mut(), in_bullet) {
            // a continuation line of a bullet
            item.push(' ');
            item.push_str(line);
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_blocks() {
        let text = "# Financiën\n\n## Instrumenten\n\nEen\ntwee.\n\n- een punt\n  dat doorloopt\n- nog een\n\nSlot.";
        assert_eq!(
            blocks(text),
            vec![
                Block::Chapter("Financiën".into()),
                Block::Section("Instrumenten".into()),
                Block::Paragraph("Een twee.".into()),
                Block::Bullet("een punt dat doorloopt".into()),
                Block::Bullet("nog een".into()),
                Block::Paragraph("Slot.".into()),
            ]
        );
    }

    #[test]
    fn numbers_in_words() {
        assert_eq!(number_in_words(3), "drie");
        assert_eq!(number_in_words(20), "twintig");
        assert_eq!(number_in_words(32), "32");
        assert_eq!(number_in_words(1200), "1.200");
    }

    #[test]
    fn a_broken_template_names_itself_and_its_line() {
        let dir = std::env::temp_dir().join(format!("werkplan-text-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("controle.hbs"), "regel een\n{{#if x}\n").unwrap();
        let err = Texts::load(Some(&dir)).err().expect("a syntax error");
        let message = err.to_string();
        assert!(message.contains("controle.hbs"), "{message}");
        assert!(message.contains("regel 2"), "{message}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
