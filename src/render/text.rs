//! The report's texts: handlebars templates rendered from the computed report.
//!
//! Every figure the prose quotes (amounts, counts, years, the peildatum, names from the data)
//! comes from the report through the context and the helpers, so text and tables cannot
//! disagree. The helpers: `euro` (an amount), `datum` (a date), `aantal` (a count in words),
//! `meervoud` (a count with the singular or plural noun), `woord` (only the singular or
//! plural word) and `opsomming` (a list in Dutch: `A, B en C`). A sentence whose data may be
//! absent is wrapped in `{{#if}}`. The default templates are compiled in; `--templates DIR`
//! replaces any of them with `DIR/<name>.hbs`. Strict mode is on: a template that names a
//! figure the report does not have is an error naming the template and line.
//!
//! A rendered template is a small plain-text markup: `# ` a chapter heading, `## ` a section
//! heading, `- ` a bullet, a blank line between paragraphs. [`Block`]s are what the PDF and
//! XLSX renderers print.
//!
//! The actualisatie's text ([`CHANGES_TEMPLATE`], `wijzigingen.hbs`) is rendered from the
//! changes against the basis ([`Texts::render_changes`]): the heading naming the basis, the
//! ten-second summary, each instrument's effect, or the sentence that nothing changed.
//!
//! The web page's skeleton ([`PAGE_TEMPLATE`], `pagina.hbs`) is loaded, checked and replaced
//! the same way, but it is HTML: it has a registry of its own with handlebars' HTML escaping
//! on (and strict mode), and [`Texts::render_page`] renders it from the page's values.

use std::path::{Path, PathBuf};

use handlebars::{Handlebars, RenderError, RenderErrorReason};
use serde::Serialize;

use crate::compute::changes::{Changes, ValueChange};
use crate::compute::{FindingKind, Report, ReportColumnKind, TableReport};
use crate::model::{ColumnKind, Date, Money};

/// The templates, by name, with their compiled-in defaults.
pub const TEMPLATES: [(&str, &str); 5] = [
    ("financien", include_str!("../../templates/financien.hbs")),
    ("controle", include_str!("../../templates/controle.hbs")),
    (PAGE_TEMPLATE, include_str!("../../templates/pagina.hbs")),
    ("peildatum", include_str!("../../templates/peildatum.hbs")),
    (
        CHANGES_TEMPLATE,
        include_str!("../../templates/wijzigingen.hbs"),
    ),
];

/// The name of the actualisatie's text (`wijzigingen.hbs`), rendered from the changes
/// against the basis rather than from the report.
pub const CHANGES_TEMPLATE: &str = "wijzigingen";

/// The name of the web page's skeleton (`pagina.hbs`): HTML, rendered with HTML escaping
/// on, unlike the text templates.
pub const PAGE_TEMPLATE: &str = "pagina";

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

impl Block {
    /// The block's text, whatever its kind.
    pub fn text(&self) -> &str {
        match self {
            Block::Chapter(text)
            | Block::Section(text)
            | Block::Paragraph(text)
            | Block::Bullet(text) => text,
        }
    }
}

/// A template that could not be loaded or rendered.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    /// The templates folder given does not exist or is not a folder.
    #[error("sjablonenmap {path}: bestaat niet of is geen map")]
    Folder {
        /// The folder as given.
        path: String,
    },
    /// A replacement template could not be read.
    #[error("sjabloon {path}: kan niet worden gelezen: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A replacement template is not a regular file (a folder, a device, a pipe).
    #[error("sjabloon {path}: is geen gewoon bestand")]
    NotAFile {
        /// The file.
        path: String,
    },
    /// A replacement template is larger than [`MAX_TEMPLATE_BYTES`].
    #[error("sjabloon {path}: is groter dan {} MiB; een sjabloon is hoogstens zo groot", MAX_TEMPLATE_BYTES >> 20)]
    TooLarge {
        /// The file.
        path: String,
    },
    /// Templates include each other (or themselves) with `{{> name}}`, which never ends.
    #[error("{0}")]
    Recursion(String),
    /// A template includes a partial whose name is computed, which cannot be checked for
    /// recursion.
    #[error(
        "sjabloon {name}: een partial met een berekende naam ({{{{> (…)}}}}) wordt niet ondersteund; noem het sjabloon bij naam"
    )]
    DynamicPartial {
        /// The template's name.
        name: String,
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

/// The largest replacement template read, in bytes (1 MiB): the default templates are a
/// few KiB, and a template is read completely into memory.
pub const MAX_TEMPLATE_BYTES: u64 = 1 << 20;

/// The loaded templates.
pub struct Texts {
    /// The text templates: plain-text markup, no escaping.
    registry: Handlebars<'static>,
    /// The web page's skeleton ([`PAGE_TEMPLATE`]): every value HTML-escaped.
    page: Handlebars<'static>,
}

impl Texts {
    /// Loads the templates: the compiled-in defaults, each replaced by `dir/<name>.hbs` when
    /// `dir` is given and has that file.
    ///
    /// Other `*.hbs` files in `dir` are ignored.
    ///
    /// # Errors
    /// A `dir` that is not a folder, a replacement that cannot be read or a template that
    /// does not parse.
    pub fn load(dir: Option<&Path>) -> Result<Texts, TextError> {
        let replacements = check_folder(dir)?;
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(handlebars::no_escape);
        registry.register_helper("euro", Box::new(helper::euro));
        registry.register_helper("datum", Box::new(helper::datum));
        registry.register_helper("aantal", Box::new(helper::aantal));
        registry.register_helper("meervoud", Box::new(helper::meervoud));
        registry.register_helper("woord", Box::new(helper::woord));
        registry.register_helper("opsomming", Box::new(helper::opsomming));
        // the page is HTML: handlebars' default escape function escapes every `{{value}}`
        let mut page = Handlebars::new();
        page.set_strict_mode(true);
        let mut shown_names = Vec::new();
        let mut shown_page = Vec::new();
        for ((name, default), replacement) in TEMPLATES.into_iter().zip(replacements) {
            let source = match &replacement {
                Some(path) => read_template(path)?,
                None => default.to_string(),
            };
            let shown = replacement
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| format!("{name}.hbs"));
            let (target, names) = if name == PAGE_TEMPLATE {
                (&mut page, &mut shown_page)
            } else {
                (&mut registry, &mut shown_names)
            };
            target
                .register_template_string(name, source)
                .map_err(|e| TextError::Syntax {
                    name: shown.clone(),
                    line: e.pos().map(|(line, _)| line),
                    reason: e.reason().to_string(),
                })?;
            names.push((name, shown));
        }
        check_recursion(&registry, &shown_names)?;
        check_recursion(&page, &shown_page)?;
        Ok(Texts { registry, page })
    }

    /// Renders the web page's skeleton ([`PAGE_TEMPLATE`]) with `context`, every value
    /// HTML-escaped.
    ///
    /// # Errors
    /// A template that refers to a value the context does not have, or misuses a helper.
    pub fn render_page<T: Serialize>(&self, context: &T) -> Result<String, TextError> {
        self.page
            .render(PAGE_TEMPLATE, context)
            .map_err(|e| TextError::Render {
                name: format!(
                    "{}.hbs",
                    e.template_name
                        .clone()
                        .unwrap_or_else(|| PAGE_TEMPLATE.to_string())
                ),
                line: e.line_no,
                reason: dutch_reason(e.reason()),
            })
    }

    /// Renders one template with the report's figures.
    ///
    /// # Errors
    /// A template that refers to a figure the report does not have, or misuses a helper.
    pub fn render(&self, name: &str, report: &Report) -> Result<Vec<Block>, TextError> {
        self.render_context(name, &TextContext::from(report))
    }

    /// Renders the actualisatie's text (template [`CHANGES_TEMPLATE`]) from the changes
    /// against the basis.
    ///
    /// # Errors
    /// A template that refers to a figure the changes do not have, or misuses a helper.
    pub fn render_changes(&self, year: i32, changes: &Changes) -> Result<Vec<Block>, TextError> {
        self.render_context(CHANGES_TEMPLATE, &ChangesContext::new(year, changes))
    }

    /// Renders one template with these figures.
    fn render_context<T: Serialize>(
        &self,
        name: &str,
        context: &T,
    ) -> Result<Vec<Block>, TextError> {
        let text = self
            .registry
            .render(name, context)
            .map_err(|e| TextError::Render {
                name: format!(
                    "{}.hbs",
                    e.template_name.clone().unwrap_or_else(|| name.to_string())
                ),
                line: e.line_no,
                reason: dutch_reason(e.reason()),
            })?;
        Ok(blocks(&text))
    }
}

/// Why a template could not be rendered, in Dutch for the reasons an operator's own
/// template can run into (a field that does not exist, a helper or partial that does not
/// exist, a helper without an argument); any other reason as handlebars gives it.
fn dutch_reason(reason: &RenderErrorReason) -> String {
    match reason {
        RenderErrorReason::MissingVariable(Some(path)) => {
            format!("‘{path}’ bestaat niet in de gegevens van het rapport")
        }
        RenderErrorReason::MissingVariable(None) => {
            "een waarde bestaat niet in de gegevens van het rapport".to_string()
        }
        RenderErrorReason::ParamNotFoundForName(helper, name) => {
            format!(
                "{helper} mist een argument ({name}), of het bestaat niet in de gegevens van het rapport"
            )
        }
        RenderErrorReason::ParamNotFoundForIndex(helper, index) => {
            format!("{helper} mist argument {}", index + 1)
        }
        RenderErrorReason::HelperNotFound(name) => format!("onbekende helper ‘{name}’"),
        RenderErrorReason::PartialNotFound(name) => format!("onbekend deelsjabloon ‘{name}’"),
        RenderErrorReason::TemplateNotFound(name) => format!("onbekend sjabloon ‘{name}’"),
        other => other.to_string(),
    }
}

/// What the templates can quote. Field names are Dutch: they are what template authors write.
#[derive(Serialize)]
struct TextContext {
    /// The werkplan's year.
    jaar: i32,
    /// The reporting date (quote it with `datum`).
    peildatum: Date,
    /// The years of the `Reguliere middelen` columns.
    jaren: YearFigures,
    regulier: TableFigures,
    drenthe_breed: TableFigures,
    alliantie: AlliantieFigures,
    controles: CheckFigures,
    /// The monthly run's realisation per instrument (empty without a ledger).
    realisatie: Vec<RealisationFigures>,
    /// What the peildatum left out of the ledger (monthly run), per instrument.
    niet_meegeteld: LeftOutFigures,
    /// The version of werkplan (`0.1.0`).
    versie: &'static str,
}

/// Rows of the ledger dated after the peildatum, not counted.
#[derive(Serialize)]
struct LeftOutFigures {
    /// Bookings, per instrument with any.
    boekingen: Vec<LeftOutFigure>,
    /// Commitments of the register, per instrument with any.
    verplichtingen: Vec<LeftOutFigure>,
}

/// One instrument's rows after the peildatum.
#[derive(Serialize)]
struct LeftOutFigure {
    /// The instrument's name (`Reguliere middelen`).
    naam: &'static str,
    /// How many rows.
    aantal: u64,
    /// Their sum.
    bedrag: Money,
}

impl LeftOutFigure {
    fn list(left_out: &[crate::model::LeftOut]) -> Vec<LeftOutFigure> {
        left_out
            .iter()
            .map(|l| LeftOutFigure {
                naam: l.instrument.name(),
                aantal: l.rows,
                bedrag: l.amount,
            })
            .collect()
    }
}

/// What one instrument spent in the peildatum's year, for the monthly run's sentences.
#[derive(Serialize)]
struct RealisationFigures {
    /// The instrument's name (`Reguliere middelen`).
    naam: &'static str,
    /// The year.
    jaar: i32,
    /// Spent in the year up to the peildatum.
    uitgegeven: Money,
    /// The year's budget, if the table has one.
    budget: Option<Money>,
    /// The spending as a whole percentage of the budget (`53%`), if there is a budget above
    /// zero.
    aandeel: Option<String>,
    /// The number of bookings.
    boekingen: u64,
}

/// The years of the `Reguliere middelen` columns, ascending, each once.
#[derive(Serialize)]
struct YearFigures {
    /// The years of the spending columns (`Uitgaven 2020`, `Uitgaven 2021`).
    uitgaven: Vec<i32>,
    /// The years of the budget columns (`Budget 2022`, `Budget 2023`).
    budget: Vec<i32>,
    /// The first spending year, if any.
    eerste_uitgaven: Option<i32>,
    /// The last spending year, if any.
    laatste_uitgaven: Option<i32>,
    /// The spending years before the last one (empty with fewer than two).
    eerdere_uitgaven: Vec<i32>,
}

#[derive(Serialize)]
struct TableFigures {
    /// The table total per column, by column label.
    totalen: Vec<ColumnFigure>,
    /// The total budget (Drenthe-brede: `Totaal budget`), if the table has that column.
    budget: Option<Money>,
    /// Number of lines.
    regels: usize,
    /// The names of the parts of the lines that have parts, in table order, each once
    /// (`CMO STAMM`, `Zorgbelang Drenthe`, ...).
    onderdelen: Vec<String>,
}

#[derive(Serialize)]
struct ColumnFigure {
    kolom: String,
    totaal: Money,
}

#[derive(Serialize)]
struct AlliantieFigures {
    budget: Money,
    toegekend: Money,
    resterend: Money,
    /// How far the awards exceed the budget, when they do (the remaining, made positive).
    overschreden: Option<Money>,
    projecten: usize,
    rondes: usize,
    /// Number of awards with a voorbehoud.
    onder_voorbehoud: usize,
    /// The voorbehouden as the table prints them (`ovb voorhangprocedure`), each once.
    voorbehouden: Vec<String>,
}

#[derive(Serialize)]
struct CheckFigures {
    /// Checks made (stated values compared, remainders checked for over-commitment).
    totaal: usize,
    /// Checks in order.
    in_orde: usize,
    /// Checks not in order: `totaal - in_orde`; each is a finding.
    niet_in_orde: usize,
    /// All findings: the checks not in order and the remarks about the input.
    bevindingen: usize,
    /// Findings about the input (merged cells, characters the PDF's font lacks and the
    /// like): findings, not checks.
    invoer: usize,
    /// Findings with severity `fout`.
    fouten: usize,
    /// Findings with severity `waarschuwing`.
    waarschuwingen: usize,
}

/// Checks a templates folder without reading the templates: `dir` is a folder, and each
/// replacement it has (`dir/<name>.hbs`, in the order of [`TEMPLATES`]) is a regular file
/// of at most [`MAX_TEMPLATE_BYTES`]. Returns the replacements found.
///
/// # Errors
/// A `dir` that is not a folder, a replacement that is not a regular file, cannot be
/// inspected or is too large.
pub fn check_folder(dir: Option<&Path>) -> Result<Vec<Option<PathBuf>>, TextError> {
    let Some(dir) = dir else {
        return Ok(vec![None; TEMPLATES.len()]);
    };
    if !dir.is_dir() {
        return Err(TextError::Folder {
            path: dir.display().to_string(),
        });
    }
    let mut found = Vec::new();
    for (name, _) in TEMPLATES {
        let path = dir.join(format!("{name}.hbs"));
        if std::fs::symlink_metadata(&path).is_err() {
            found.push(None);
            continue;
        }
        let shown = path.display().to_string();
        let meta = std::fs::metadata(&path).map_err(|source| TextError::Read {
            path: shown.clone(),
            source,
        })?;
        if !meta.is_file() {
            return Err(TextError::NotAFile { path: shown });
        }
        if meta.len() > MAX_TEMPLATE_BYTES {
            return Err(TextError::TooLarge { path: shown });
        }
        found.push(Some(path));
    }
    Ok(found)
}

/// Reads a replacement template, at most [`MAX_TEMPLATE_BYTES`] (the file may have grown
/// since it was checked).
fn read_template(path: &Path) -> Result<String, TextError> {
    use std::io::Read;
    let shown = path.display().to_string();
    let read_error = |source| TextError::Read {
        path: shown.clone(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_TEMPLATE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_TEMPLATE_BYTES {
        return Err(TextError::TooLarge { path: shown });
    }
    String::from_utf8(bytes).map_err(|e| {
        read_error(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("geen UTF-8-tekst (byte {})", e.utf8_error().valid_up_to()),
        ))
    })
}

/// Refuses templates that include each other, directly or through others (`{{> controle}}`
/// in financien.hbs and `{{> financien}}` in controle.hbs), which handlebars would follow
/// until the stack overflows. Inline partials count as templates of their own name.
fn check_recursion(
    registry: &Handlebars<'static>,
    shown: &[(&str, String)],
) -> Result<(), TextError> {
    let mut edges: Vec<(String, String)> = Vec::new();
    for (name, shown_name) in shown {
        if let Some(template) = registry.get_template(name) {
            partial_edges(template, name, &mut edges).map_err(|()| TextError::DynamicPartial {
                name: shown_name.clone(),
            })?;
        }
    }
    let show = |name: &str| {
        shown
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| format!("‘{name}’"))
    };
    for (start, _) in shown {
        // depth-first from each template, along the partials it includes
        let mut path: Vec<String> = vec![start.to_string()];
        if let Some(cycle) = find_cycle(&edges, &mut path) {
            let names: Vec<String> = cycle.iter().map(|n| show(n)).collect();
            return Err(TextError::Recursion(if names.len() == 1 {
                format!(
                    "sjabloon {} neemt zichzelf op met {{{{> …}}}}; dat houdt nooit op",
                    names[0]
                )
            } else {
                format!(
                    "de sjablonen {} nemen elkaar op met {{{{> …}}}}; dat houdt nooit op",
                    enumeration(&names)
                )
            }));
        }
    }
    Ok(())
}

/// A cycle reachable from the last name of `path`, as the names on it.
fn find_cycle(edges: &[(String, String)], path: &mut Vec<String>) -> Option<Vec<String>> {
    let from = path.last()?.clone();
    for (_, to) in edges.iter().filter(|(f, _)| *f == from) {
        if let Some(start) = path.iter().position(|n| n == to) {
            return Some(path[start..].to_vec());
        }
        path.push(to.clone());
        if let Some(cycle) = find_cycle(edges, path) {
            return Some(cycle);
        }
        path.pop();
    }
    None
}

/// Every partial `scope` includes, as (scope, partial) edges; `Err` for a partial whose
/// name is computed.
fn partial_edges(
    template: &handlebars::template::Template,
    scope: &str,
    edges: &mut Vec<(String, String)>,
) -> Result<(), ()> {
    use handlebars::template::{Parameter, TemplateElement};
    let static_name = |p: &Parameter| match p {
        Parameter::Literal(serde_json::Value::String(s)) => Some(s.clone()),
        other => other.as_name().map(str::to_string),
    };
    for element in &template.elements {
        match element {
            TemplateElement::PartialExpression(d) | TemplateElement::PartialBlock(d) => {
                let name = static_name(&d.name).ok_or(())?;
                if name != "@partial-block" {
                    edges.push((scope.to_string(), name));
                }
                if let Some(inner) = &d.template {
                    partial_edges(inner, scope, edges)?;
                }
            }
            TemplateElement::DecoratorBlock(d) => {
                // `{{#*inline "name"}}…{{/inline}}`: a partial of its own
                let inline = (d.name.as_name() == Some("inline"))
                    .then(|| d.params.first().and_then(static_name))
                    .flatten();
                if let Some(inner) = &d.template {
                    partial_edges(inner, inline.as_deref().unwrap_or(scope), edges)?;
                }
            }
            TemplateElement::HelperBlock(h) => {
                for inner in [&h.template, &h.inverse].into_iter().flatten() {
                    partial_edges(inner, scope, edges)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Each value once, in first-seen order.
fn distinct<T: PartialEq>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut out = Vec::new();
    for value in values {
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

impl From<&TableReport> for TableFigures {
    fn from(t: &TableReport) -> TableFigures {
        TableFigures {
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
                .column(&ReportColumnKind::Input(ColumnKind::TotaalBudget))
                .and_then(|i| t.totals.get(i).copied()),
            regels: t.sections.iter().map(|s| s.lines.len()).sum(),
            onderdelen: distinct(
                t.sections
                    .iter()
                    .flat_map(|s| &s.lines)
                    .flat_map(|l| &l.parts)
                    .map(|p| p.description.clone()),
            ),
        }
    }
}

impl From<&TableReport> for YearFigures {
    fn from(t: &TableReport) -> YearFigures {
        let years = |wanted: fn(&ColumnKind) -> Option<i32>| {
            let mut years: Vec<i32> = t
                .columns
                .iter()
                .filter_map(|c| match &c.kind {
                    ReportColumnKind::Input(kind) => wanted(kind),
                    ReportColumnKind::Remaining
                    | ReportColumnKind::LedgerSpending(_)
                    | ReportColumnKind::RemainingBudget(_) => None,
                })
                .collect();
            years.sort_unstable();
            years.dedup();
            years
        };
        let uitgaven = years(|k| match k {
            ColumnKind::Uitgaven(y) => Some(*y),
            _ => None,
        });
        let budget = years(|k| match k {
            ColumnKind::Budget(y) => Some(*y),
            _ => None,
        });
        let eerdere_uitgaven = uitgaven
            .split_last()
            .map(|(_, before)| before.to_vec())
            .unwrap_or_default();
        YearFigures {
            eerste_uitgaven: uitgaven.first().copied(),
            laatste_uitgaven: uitgaven.last().copied(),
            eerdere_uitgaven,
            uitgaven,
            budget,
        }
    }
}

impl From<&Report> for TextContext {
    fn from(report: &Report) -> TextContext {
        let awards = || report.alliantie.themes.iter().flat_map(|t| &t.awards);
        let invoer = report
            .findings
            .iter()
            .filter(|f| matches!(f.kind, FindingKind::Invoer | FindingKind::Lettertype))
            .count();
        TextContext {
            jaar: report.year,
            peildatum: report.peildatum,
            jaren: YearFigures::from(&report.regulier),
            regulier: TableFigures::from(&report.regulier),
            drenthe_breed: TableFigures::from(&report.drenthe_breed),
            alliantie: AlliantieFigures {
                budget: report.alliantie.budget,
                toegekend: report.alliantie.awarded,
                resterend: report.alliantie.remaining,
                overschreden: report
                    .alliantie
                    .remaining
                    .is_negative()
                    .then(|| report.alliantie.remaining.abs()),
                projecten: report.alliantie.projects,
                rondes: report.alliantie.rounds.len(),
                onder_voorbehoud: awards().filter(|a| a.voorbehoud.is_some()).count(),
                voorbehouden: distinct(awards().filter_map(|a| a.voorbehoud.clone())),
            },
            controles: CheckFigures {
                totaal: report.checks.total,
                in_orde: report.checks.passed,
                niet_in_orde: report.checks.total.saturating_sub(report.checks.passed),
                bevindingen: report.findings.len(),
                invoer,
                fouten: report.errors().count(),
                waarschuwingen: report.warnings().count(),
            },
            realisatie: report
                .realisation
                .iter()
                .map(|r| RealisationFigures {
                    naam: r.instrument.name(),
                    jaar: r.year,
                    uitgegeven: r.spent(),
                    budget: r.budget,
                    aandeel: r.share().map(|p| format!("{p}%")),
                    boekingen: r.bookings,
                })
                .collect(),
            niet_meegeteld: LeftOutFigures {
                boekingen: LeftOutFigure::list(&report.left_out),
                verplichtingen: LeftOutFigure::list(&report.left_out_commitments),
            },
            versie: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// What `wijzigingen.hbs` can quote. Field names are Dutch, as in [`TextContext`].
#[derive(Serialize)]
struct ChangesContext {
    /// This werkplan's year.
    jaar: i32,
    /// The basis.
    basis: BasisFigures,
    /// Whether nothing changed.
    geen_wijzigingen: bool,
    /// The kinds of change that occur, each with its count, in a fixed order: `gewijzigd`,
    /// `toegevoegd`, `verwijderd`, `hernoemd`, `verplaatst`, `toekenning-toegevoegd`,
    /// `toekenning-ingetrokken`. Kinds that do not occur are left out.
    soorten: Vec<KindCount>,
    /// The total budget over all instruments.
    totaal_budget: EffectFigures,
    /// Per instrument, in report order.
    instrumenten: Vec<InstrumentEffect>,
}

/// The report compared with.
#[derive(Serialize)]
struct BasisFigures {
    /// Its werkplan year.
    jaar: i32,
    /// Its peildatum (quote it with `datum`).
    peildatum: Date,
    /// Whether it is another werkplan year than this report's.
    ander_jaar: bool,
}

/// A kind of change and how often it occurs.
#[derive(Serialize)]
struct KindCount {
    /// The kind (see [`ChangesContext::soorten`]).
    soort: &'static str,
    /// How many.
    aantal: usize,
}

/// A total before and after, and which way it went.
#[derive(Serialize)]
struct EffectFigures {
    /// Before.
    voor: Option<Money>,
    /// After.
    na: Option<Money>,
    /// The rise, when it rose.
    stijging: Option<Money>,
    /// The fall, when it fell.
    daling: Option<Money>,
}

impl From<&ValueChange> for EffectFigures {
    fn from(value: &ValueChange) -> EffectFigures {
        let difference = value.difference();
        EffectFigures {
            voor: value.before,
            na: value.after,
            stijging: (difference > Money::ZERO).then_some(difference),
            daling: difference.is_negative().then(|| difference.abs()),
        }
    }
}

/// One instrument's effect.
#[derive(Serialize)]
struct InstrumentEffect {
    /// The instrument's name (`Reguliere middelen`).
    naam: &'static str,
    /// How many lines, projects or awards changed.
    wijzigingen: usize,
    /// Its total budget.
    budget: EffectFigures,
    /// Whether its total budget stayed as it was while figures moved between lines.
    verschuiving: bool,
}

impl ChangesContext {
    fn new(year: i32, changes: &Changes) -> ChangesContext {
        let counts = changes.counts();
        let soorten = [
            ("gewijzigd", counts.changed),
            ("toegevoegd", counts.added),
            ("verwijderd", counts.removed),
            ("hernoemd", counts.renamed),
            ("verplaatst", counts.moved),
            ("toekenning-toegevoegd", counts.awards_added),
            ("toekenning-ingetrokken", counts.awards_withdrawn),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(soort, aantal)| KindCount { soort, aantal })
        .collect();
        ChangesContext {
            jaar: year,
            basis: BasisFigures {
                jaar: changes.basis_year,
                peildatum: changes.basis_peildatum,
                ander_jaar: changes.basis_year != year,
            },
            geen_wijzigingen: changes.is_empty(),
            soorten,
            totaal_budget: EffectFigures::from(&changes.total_budget()),
            instrumenten: changes
                .instruments
                .iter()
                .map(|i| InstrumentEffect {
                    naam: i.instrument.name(),
                    wijzigingen: i.changes.len(),
                    budget: EffectFigures::from(&i.budget),
                    verschuiving: i.budget_neutral()
                        && i.changes
                            .iter()
                            .flat_map(|c| &c.values)
                            .any(|v| v.difference() != Money::ZERO),
                })
                .collect(),
        }
    }
}

/// The message for a helper given a value of the wrong kind: `meervoud verwacht een aantal,
/// kreeg "drie"`.
fn wrong(helper: &'static str, value: &serde_json::Value, expected: &str) -> RenderError {
    RenderErrorReason::Other(format!("{helper} verwacht {expected}, kreeg {value}")).into()
}

/// The template helpers, each a plain function of its parameters. `handlebars_helper!` makes a
/// struct per helper, named as templates call it, so handlebars' own message for a missing
/// parameter names the helper and the parameter; a value of the wrong kind gets our Dutch
/// message ([`wrong`]).
mod helper {
    use handlebars::{RenderError, handlebars_helper};
    use rust_decimal::Decimal;

    use super::{enumeration, number_in_words, with_count, wrong};
    use crate::model::{Date, Money};

    // `{{euro alliantie.budget}}` -> `€ 3.750.000`; cents are shown only when there are any.
    handlebars_helper!(euro: |bedrag: Json| bedrag
        .as_str()
        .and_then(|s| s.parse::<Decimal>().ok())
        .and_then(Money::from_decimal)
        .ok_or_else(|| wrong("euro", bedrag, "een bedrag"))?
        .to_dutch_with(false));

    // `{{datum peildatum}}` -> `1 januari 2022`.
    handlebars_helper!(datum: |dag: Json| dag
        .as_str()
        .and_then(Date::parse_iso)
        .ok_or_else(|| wrong("datum", dag, "een datum"))?
        .to_dutch());

    // `{{aantal alliantie.rondes}}` -> `drie`: numbers up to twenty in words, larger ones in
    // digits with thousands separators, as Dutch prose writes them.
    handlebars_helper!(aantal: |getal: Json| number_in_words(
        getal.as_u64().ok_or_else(|| wrong("aantal", getal, "een aantal"))?
    ));

    // `{{meervoud controles.bevindingen "bevinding" "bevindingen"}}` -> `één bevinding`,
    // `drie bevindingen`, `32 bevindingen`, `geen bevindingen`: the count in words (as
    // `aantal`, but `geen` for zero) and the noun in the form that goes with it.
    handlebars_helper!(meervoud: |n: Json, enkelvoud: Json, meervoudsvorm: Json| {
        let (n, singular, plural) = count_and_forms("meervoud", n, enkelvoud, meervoudsvorm)?;
        with_count(n, singular, plural)
    });

    // `{{woord controles.totaal "is" "zijn"}}` -> `is` for one, `zijn` otherwise: only the
    // word, for the verb or article that goes with a count quoted elsewhere in the sentence.
    handlebars_helper!(woord: |n: Json, enkelvoud: Json, meervoudsvorm: Json| {
        let (n, singular, plural) = count_and_forms("woord", n, enkelvoud, meervoudsvorm)?;
        if n == 1 { singular } else { plural }
    });

    // `{{opsomming regulier.onderdelen}}` -> `A, B, C en D`: a list of names or years joined
    // as Dutch prose writes it. Years are printed as they are (`2020`), without separators.
    handlebars_helper!(opsomming: |lijst: Json| {
        let expected = "een lijst van namen of jaren";
        let items = lijst
            .as_array()
            .ok_or_else(|| wrong("opsomming", lijst, expected))?
            .iter()
            .map(|item| match item {
                serde_json::Value::String(s) => Ok(s.clone()),
                serde_json::Value::Number(n) => Ok(n.to_string()),
                _ => Err(wrong("opsomming", item, expected)),
            })
            .collect::<Result<Vec<String>, RenderError>>()?;
        enumeration(&items)
    });

    /// The count and the two word forms of `meervoud` and `woord`.
    fn count_and_forms<'a>(
        helper: &'static str,
        n: &serde_json::Value,
        singular: &'a serde_json::Value,
        plural: &'a serde_json::Value,
    ) -> Result<(u64, &'a str, &'a str), RenderError> {
        let n = n.as_u64().ok_or_else(|| wrong(helper, n, "een aantal"))?;
        let form = |value: &'a serde_json::Value| {
            value
                .as_str()
                .ok_or_else(|| wrong(helper, value, "een woord tussen aanhalingstekens"))
        };
        Ok((n, form(singular)?, form(plural)?))
    }
}

/// `één bevinding`, `drie bevindingen`, `geen bevindingen`.
pub fn with_count(n: u64, singular: &str, plural: &str) -> String {
    match n {
        0 => format!("geen {plural}"),
        1 => format!("{} {singular}", number_in_words(1)),
        _ => format!("{} {plural}", number_in_words(n)),
    }
}

/// A Dutch enumeration: `A`, `A en B`, `A, B en C`; empty for no items.
pub fn enumeration<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [only] => only.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} en {}", init.join(", "), last.as_ref())
        }
    }
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
    use rust_decimal::Decimal;

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

    /// Renders a template string with the registry's helpers.
    fn show(template: &str, data: serde_json::Value) -> String {
        let texts = Texts::load(None).unwrap();
        texts.registry.render_template(template, &data).unwrap()
    }

    #[test]
    fn meervoud_gives_the_count_in_words_and_the_right_noun() {
        let t = r#"{{meervoud n "bevinding" "bevindingen"}}"#;
        assert_eq!(show(t, serde_json::json!({"n": 0})), "geen bevindingen");
        assert_eq!(show(t, serde_json::json!({"n": 1})), "één bevinding");
        assert_eq!(show(t, serde_json::json!({"n": 3})), "drie bevindingen");
        assert_eq!(show(t, serde_json::json!({"n": 32})), "32 bevindingen");
        let w = r#"{{woord n "is" "zijn"}}"#;
        assert_eq!(show(w, serde_json::json!({"n": 1})), "is");
        assert_eq!(show(w, serde_json::json!({"n": 0})), "zijn");
        assert_eq!(show(w, serde_json::json!({"n": 2})), "zijn");
        assert_eq!(with_count(2, "ronde", "rondes"), "twee rondes");
    }

    #[test]
    fn a_helper_given_the_wrong_value_is_an_error() {
        let texts = Texts::load(None).unwrap();
        for template in [
            r#"{{meervoud n "a" "b"}}"#,
            r#"{{meervoud 2 "a"}}"#,
            r#"{{woord 2 3 4}}"#,
            r#"{{opsomming n}}"#,
        ] {
            let err = texts
                .registry
                .render_template(template, &serde_json::json!({"n": "drie"}))
                .err();
            assert!(err.is_some(), "{template}");
        }
    }

    /// The error of rendering `template` with the built-in helpers and strict mode.
    fn render_error(template: &str, data: serde_json::Value) -> RenderError {
        Texts::load(None)
            .unwrap()
            .registry
            .render_template(template, &data)
            .unwrap_err()
    }

    #[test]
    fn a_helper_names_itself_and_what_it_expected() {
        let reason = |template: &str| {
            render_error(template, serde_json::json!({"n": "drie"}))
                .reason()
                .to_string()
        };
        assert_eq!(
            reason(r#"{{meervoud n "a" "b"}}"#),
            r#"meervoud verwacht een aantal, kreeg "drie""#
        );
        assert_eq!(
            reason(r#"{{woord 2 3 4}}"#),
            "woord verwacht een woord tussen aanhalingstekens, kreeg 3"
        );
        assert_eq!(
            reason("{{euro n}}"),
            r#"euro verwacht een bedrag, kreeg "drie""#
        );
        assert_eq!(
            reason("{{opsomming n}}"),
            r#"opsomming verwacht een lijst van namen of jaren, kreeg "drie""#
        );
        let missing = reason(r#"{{meervoud 2 "a"}}"#);
        assert!(missing.contains("meervoud"), "{missing}");
    }

    #[test]
    fn a_house_template_with_a_typo_gets_a_dutch_reason() {
        let dutch = |template: &str| {
            dutch_reason(render_error(template, serde_json::json!({"n": 2})).reason())
        };
        // a field that is not there, given to a helper or printed
        assert_eq!(
            dutch("{{euro budgett}}"),
            "euro mist een argument (bedrag), of het bestaat niet in de gegevens van het rapport"
        );
        assert_eq!(
            dutch("{{budgett}}"),
            "‘budgett’ bestaat niet in de gegevens van het rapport"
        );
        assert_eq!(
            dutch("{{> voorwoord}}"),
            "onbekend deelsjabloon ‘voorwoord’"
        );
    }

    #[test]
    fn opsomming_joins_in_dutch() {
        let t = "{{opsomming x}}";
        assert_eq!(show(t, serde_json::json!({"x": []})), "");
        assert_eq!(show(t, serde_json::json!({"x": ["A"]})), "A");
        assert_eq!(show(t, serde_json::json!({"x": ["A", "B"]})), "A en B");
        assert_eq!(
            show(t, serde_json::json!({"x": ["A", "B", "C", "D"]})),
            "A, B, C en D"
        );
        assert_eq!(
            show(t, serde_json::json!({"x": [2020, 2021, 2022]})),
            "2020, 2021 en 2022"
        );
    }

    #[test]
    fn euro_shows_cents_only_when_there_are_any() {
        let t = "{{euro a}} {{euro b}}";
        assert_eq!(
            show(t, serde_json::json!({"a": "3160000.00", "b": "2075452.30"})),
            "€ 3.160.000 € 2.075.452,30"
        );
    }

    /// Figures like the 2022 werkplan's, to vary in the tests.
    fn context() -> TextContext {
        let money = |euros: i64| Money::from_cents(euros * 100);
        TextContext {
            jaar: 2022,
            peildatum: Date::new(2021, 12, 31).unwrap(),
            jaren: YearFigures {
                uitgaven: vec![2020, 2021],
                budget: vec![2022, 2023],
                eerste_uitgaven: Some(2020),
                laatste_uitgaven: Some(2021),
                eerdere_uitgaven: vec![2020],
            },
            regulier: TableFigures {
                totalen: Vec::new(),
                budget: None,
                regels: 3,
                onderdelen: vec!["A".into(), "B".into(), "C".into()],
            },
            drenthe_breed: TableFigures {
                totalen: Vec::new(),
                budget: Some(money(3_160_000)),
                regels: 11,
                onderdelen: Vec::new(),
            },
            alliantie: AlliantieFigures {
                budget: money(3_750_000),
                toegekend: Money::from_cents(207_545_230),
                resterend: Money::from_cents(167_454_770),
                overschreden: None,
                projecten: 32,
                rondes: 3,
                onder_voorbehoud: 2,
                voorbehouden: vec!["ovb voorhangprocedure".into()],
            },
            controles: CheckFigures {
                totaal: 35,
                in_orde: 32,
                niet_in_orde: 3,
                bevindingen: 3,
                invoer: 0,
                fouten: 0,
                waarschuwingen: 3,
            },
            realisatie: Vec::new(),
            niet_meegeteld: LeftOutFigures {
                boekingen: Vec::new(),
                verplichtingen: Vec::new(),
            },
            versie: "0.1.0",
        }
    }

    fn paragraphs(blocks: &[Block]) -> String {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(s) | Block::Bullet(s) => Some(s.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn controle(checks: (usize, usize, usize), invoer: usize) -> String {
        let (totaal, in_orde, niet_in_orde) = checks;
        let mut c = context();
        c.controles = CheckFigures {
            totaal,
            in_orde,
            niet_in_orde,
            bevindingen: niet_in_orde + invoer,
            invoer,
            fouten: 0,
            waarschuwingen: niet_in_orde + invoer,
        };
        let texts = Texts::load(None).unwrap();
        let blocks = texts.render_context("controle", &c).unwrap();
        // title, section, the counts, (the amounts of a finding,) peildatum and version
        let expected = if c.controles.bevindingen > 0 { 5 } else { 4 };
        assert_eq!(blocks.len(), expected, "{blocks:?}");
        assert_eq!(
            blocks[0],
            Block::Chapter("Controle werkplan 2022 Sociale Agenda".into())
        );
        assert_eq!(
            blocks.last(),
            Some(&Block::Paragraph(
                "Peildatum 31 december 2021. Gemaakt met werkplan 0.1.0.".into()
            ))
        );
        paragraphs(&blocks[1..3])
    }

    #[test]
    fn what_the_peildatum_left_out_is_one_sentence_in_the_controle_text() {
        let mut c = context();
        c.niet_meegeteld = LeftOutFigures {
            boekingen: vec![
                LeftOutFigure {
                    naam: "Reguliere middelen",
                    aantal: 12,
                    bedrag: Money::from_decimal(Decimal::new(123_456, 2)).unwrap(),
                },
                LeftOutFigure {
                    naam: "Alliantieprojecten",
                    aantal: 1,
                    bedrag: Money::from_decimal(Decimal::new(400, 2)).unwrap(),
                },
            ],
            verplichtingen: vec![LeftOutFigure {
                naam: "Drenthe-brede projecten",
                aantal: 2,
                bedrag: Money::from_decimal(Decimal::new(10_000, 0)).unwrap(),
            }],
        };
        let texts = Texts::load(None).unwrap();
        let sentence = "Na de peildatum 31 december 2021 geboekt en niet meegeteld: Reguliere \
                        middelen twaalf boekingen, samen € 1.234,56; Alliantieprojecten één \
                        boeking, samen € 4. Verplichtingen met een datum na de peildatum, niet \
                        meegeteld: Drenthe-brede projecten twee verplichtingen, samen € 10.000.";
        let left_out = texts.render_context("peildatum", &c).unwrap();
        assert_eq!(left_out, [Block::Paragraph(sentence.into())]);
        // the control report prints the same sentence, from the same template
        let controle = texts.render_context("controle", &c).unwrap();
        assert!(controle.contains(&left_out[0]), "{controle:?}");
        // nothing left out, no sentence
        assert!(
            texts
                .render_context("peildatum", &context())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn the_controle_text_counts_checks_and_findings_apart() {
        let text = controle((35, 32, 3), 0);
        assert!(
            text.ends_with(
                "Er zijn 35 controles uitgevoerd: 32 in orde en drie niet in orde. Elke controle \
                 die niet in orde is, is een bevinding. De drie bevindingen staan, elk met de \
                 plaats in de spreadsheet, in het overzicht van de bevindingen."
            ),
            "{text}"
        );
        // warnings about the input are findings, not checks
        let text = controle((35, 33, 2), 1);
        assert!(
            text.ends_with(
                "Er zijn 35 controles uitgevoerd: 33 in orde en twee niet in orde. In totaal zijn \
                 er drie bevindingen: twee controles die niet in orde zijn en één opmerking over \
                 de invoer van de spreadsheets. De drie bevindingen staan, elk met de plaats in \
                 de spreadsheet, in het overzicht van de bevindingen."
            ),
            "{text}"
        );
        let text = controle((35, 35, 0), 1);
        assert!(
            text.ends_with(
                "Er zijn 35 controles uitgevoerd; ze zijn alle in orde. In totaal is er één \
                 bevinding: één opmerking over de invoer van de spreadsheets. De bevinding \
                 staat, met de plaats in de spreadsheet, in het overzicht van de bevindingen."
            ),
            "{text}"
        );
        let text = controle((1, 0, 1), 0);
        assert!(
            text.ends_with(
                "Er is één controle uitgevoerd; die is niet in orde. Elke controle die niet in \
                 orde is, is een bevinding. De bevinding staat, met de plaats in de \
                 spreadsheet, in het overzicht van de bevindingen."
            ),
            "{text}"
        );
        let text = controle((4, 4, 0), 0);
        assert!(
            text.ends_with(
                "Er zijn vier controles uitgevoerd; ze zijn alle in orde. Er zijn geen bevindingen."
            ),
            "{text}"
        );
        let text = controle((0, 0, 0), 0);
        assert!(
            text.ends_with("Er waren geen bedragen te controleren. Er zijn geen bevindingen."),
            "{text}"
        );
        for text in [controle((35, 33, 2), 1), controle((3, 2, 1), 0)] {
            assert!(!text.contains("één bevindingen"), "{text}");
            assert!(!text.contains("één controles"), "{text}");
            assert!(!text.contains("hieronder"), "{text}");
        }
    }

    #[test]
    fn a_sentence_appears_only_with_its_data() {
        let texts = Texts::load(None).unwrap();
        let text = paragraphs(&texts.render_context("financien", &context()).unwrap());
        assert!(text.contains("Sociale Agenda zoals A, B en C."), "{text}");
        assert!(
            text.contains("Na een opbouwperiode in 2020 zijn in 2021"),
            "{text}"
        );
        assert!(
            text.contains("voor twee daarvan geldt een voorbehoud (ovb voorhangprocedure)."),
            "{text}"
        );

        let mut c = context();
        c.regulier.onderdelen.clear();
        c.drenthe_breed.budget = None;
        c.jaren = YearFigures {
            uitgaven: vec![2024],
            budget: vec![2025],
            eerste_uitgaven: Some(2024),
            laatste_uitgaven: Some(2024),
            eerdere_uitgaven: Vec::new(),
        };
        c.alliantie.rondes = 1;
        c.alliantie.projecten = 1;
        c.alliantie.onder_voorbehoud = 0;
        c.alliantie.voorbehouden.clear();
        let text = paragraphs(&texts.render_context("financien", &c).unwrap());
        assert!(
            text.contains("Vanuit de begroting de inzet van reguliere middelen.\n"),
            "{text}"
        );
        assert!(
            text.contains("Vanuit de investeringsagenda de Drenthe-brede projecten en de"),
            "{text}"
        );
        assert!(!text.contains("opbouwperiode"), "{text}");
        assert!(!text.contains("voorbehoud"), "{text}");
        assert!(
            text.contains("heeft er één aanvraagronde plaatsgevonden"),
            "{text}"
        );
        assert!(
            text.contains("eindresultaat één alliantieproject dat subsidie ontvangt, samen"),
            "{text}"
        );
        assert!(
            text.contains("toont de uitgaven over 2024 en het budget voor 2025."),
            "{text}"
        );

        c.alliantie.rondes = 0;
        c.alliantie.projecten = 0;
        c.jaren.uitgaven.clear();
        c.jaren.budget.clear();
        let text = paragraphs(&texts.render_context("financien", &c).unwrap());
        assert!(
            text.contains("Er zijn nog geen alliantieprojecten toegekend."),
            "{text}"
        );
        assert!(!text.contains("toont"), "{text}");
    }

    #[test]
    fn a_templates_folder_that_does_not_exist_is_an_error() {
        let dir = std::env::temp_dir().join(format!("werkplan-geen-map-{}", std::process::id()));
        let err = Texts::load(Some(&dir)).err().expect("an error");
        assert!(matches!(err, TextError::Folder { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains(&dir.display().to_string()), "{message}");
        assert!(message.starts_with("sjablonenmap "), "{message}");
        // a file is not a folder either
        let file =
            std::env::temp_dir().join(format!("werkplan-een-bestand-{}", std::process::id()));
        std::fs::write(&file, "").unwrap();
        assert!(matches!(
            Texts::load(Some(&file)),
            Err(TextError::Folder { .. })
        ));
        std::fs::remove_file(&file).ok();
    }

    #[test]
    fn unknown_templates_in_the_folder_are_ignored() {
        let dir = std::env::temp_dir().join(format!("werkplan-text-extra-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("onbekend.hbs"), "{{#if x}").unwrap();
        assert!(Texts::load(Some(&dir)).is_ok());
        std::fs::remove_dir_all(&dir).ok();
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

    /// A templates folder with these two templates.
    fn templates(name: &str, financien: &str, controle: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("werkplan-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("financien.hbs"), financien).unwrap();
        std::fs::write(dir.join("controle.hbs"), controle).unwrap();
        dir
    }

    #[test]
    fn templates_that_include_each_other_are_refused() {
        let dir = templates("kring", "{{> controle}}", "{{#if x}}{{> financien}}{{/if}}");
        let err = Texts::load(Some(&dir)).err().expect("recursion");
        let message = err.to_string();
        assert!(matches!(err, TextError::Recursion(_)), "{message}");
        assert!(
            message.contains("financien.hbs") && message.contains("controle.hbs"),
            "{message}"
        );
        // one way is fine
        std::fs::write(dir.join("controle.hbs"), "Controle.").unwrap();
        assert!(Texts::load(Some(&dir)).is_ok());
        // an inline partial that includes itself
        std::fs::write(
            dir.join("controle.hbs"),
            "{{#*inline \"lus\"}}{{> lus}}{{/inline}}{{> lus}}",
        )
        .unwrap();
        let message = Texts::load(Some(&dir))
            .err()
            .expect("recursion")
            .to_string();
        assert!(
            message.contains("lus") && message.contains("zichzelf"),
            "{message}"
        );
        // a computed partial name cannot be checked
        std::fs::write(dir.join("controle.hbs"), "{{> (woord 1 \"a\" \"b\")}}").unwrap();
        let err = Texts::load(Some(&dir)).err().expect("dynamic");
        assert!(matches!(err, TextError::DynamicPartial { .. }), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
