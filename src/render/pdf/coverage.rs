//! Font coverage as findings: every text the appendix prints is checked against the PDF's
//! fonts before anything is rendered, and each text with characters the fonts lack becomes
//! one warning ([`FindingKind::Lettertype`](crate::model::FindingKind)) at the place the text
//! came from — the spreadsheet cell for what the model read from a cell, the template file for
//! template text, the font for the program's own characters (`€`, `•`, `…`). Because it runs
//! where all findings are made, `check` and `build` count the same warnings and `--strict`
//! stops both alike.
//!
//! A text is reported once (a text in several cells at the first, counting the others): the
//! cells of the model first, then the texts of the appendix that
//! do not merely quote a text already reported (a theme heading `1 Wonen ✓` quotes the theme
//! name `Wonen ✓`, a remark `(ovb ✓)` its cell).

use std::collections::{HashMap, HashSet};

use super::TextSources;
use super::fonts::Fonts;
use super::glyphs::{self, Glyphs};
use crate::model::{BudgetTable, Finding, FindingKind, Instrument, Place, Werkplan};
use crate::render::{Appendix, Block};

/// How many of a text's missing characters a message names; the rest are counted.
const CHARS_NAMED: usize = 5;

/// Characters the renderer prints itself (amounts, page furniture, headings): all printable
/// ASCII and these.
const PROGRAM_CHARS: &str = "€éë›…•·‘’";

/// Collects the font findings of one appendix.
pub(super) struct Coverage<'f, 'a> {
    glyphs: Glyphs<'f, 'a>,
    /// Whether every face has every printable ASCII character (the quick path).
    ascii: bool,
    /// Program characters the fonts lack: reported once, for the font, and not again.
    program: HashSet<char>,
    /// The texts reported, for exact look-up: the index of their finding.
    reported: HashMap<String, usize>,
    /// Per finding: at how many other places of the model the same text stands.
    elsewhere: Vec<usize>,
    /// The texts reported, in order, for texts that quote them.
    quoted: Vec<String>,
    /// Per row (file, sheet, row number): the indices in `quoted` of the texts reported
    /// there, for the messages of findings on that row.
    by_row: HashMap<(String, String, u32), Vec<usize>>,
    findings: Vec<Finding>,
}

/// Which reported texts a composed text may quote, so that the search stays linear.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Quotes<'p> {
    /// Only in the forms a table or chart prints a cell's text: whole, after a theme number
    /// (`1 Wonen ✓`), in parentheses (`(ovb ✓)`).
    Forms,
    /// Those forms, and any text reported on the row of this place (a finding's message).
    Row(&'p Place),
    /// Those forms, and any text reported (the few blocks of template text).
    All,
}

/// The row number of a place's cell (`F31` -> 31).
fn row_of(place: &Place) -> Option<(String, String, u32)> {
    let digits = place
        .cell
        .trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let row = digits.parse().ok()?;
    Some((place.file.to_string(), place.sheet.to_string(), row))
}

impl<'f, 'a> Coverage<'f, 'a> {
    /// A checker for these fonts; the program's own characters are checked first and any the
    /// fonts lack is one finding at `font`.
    pub(super) fn new(fonts: &'f Fonts<'a>, font: &Place) -> Coverage<'f, 'a> {
        let mut glyphs = Glyphs::new(fonts);
        let ascii = (' '..='~').all(|c| glyphs.covered(c));
        let mut coverage = Coverage {
            glyphs,
            ascii,
            program: HashSet::new(),
            reported: HashMap::new(),
            elsewhere: Vec::new(),
            quoted: Vec::new(),
            by_row: HashMap::new(),
            findings: Vec::new(),
        };
        let program: String = (' '..='~').chain(PROGRAM_CHARS.chars()).collect();
        let lacking = coverage.lacking(&program);
        if !lacking.is_empty() {
            let plural = lacking.len() > 1;
            let message = format!(
                "{}, {} de PDF zelf gebruikt (bedragen, koppen, paginarand), {}",
                glyphs::named(&lacking, CHARS_NAMED),
                if plural { "die" } else { "dat" },
                coverage.glyphs.lacking_verb(plural),
            );
            coverage.findings.push(Finding::font(font.clone(), message));
            coverage.elsewhere.push(0);
            coverage.program.extend(lacking);
        }
        coverage
    }

    /// The findings, in the order found.
    pub(super) fn into_findings(self) -> Vec<Finding> {
        let mut findings = self.findings;
        for (finding, others) in findings.iter_mut().zip(self.elsewhere) {
            match others {
                0 => {}
                1 => finding
                    .message
                    .push_str("; dezelfde tekst staat nog op één andere plaats"),
                n => finding.message.push_str(&format!(
                    "; dezelfde tekst staat nog op {n} andere plaatsen"
                )),
            }
        }
        findings
    }

    /// The distinct characters of `text` the fonts lack and that are drawn as a substitute or
    /// left out with a warning, in order; program characters already reported are not.
    fn lacking(&mut self, text: &str) -> Vec<char> {
        if self.ascii && text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return Vec::new();
        }
        let mut seen = HashSet::new();
        text.chars()
            .filter(|c| !self.program.contains(c) && self.glyphs.warned(*c) && seen.insert(*c))
            .collect()
    }

    /// A text as the model read it from `place`: reported once; the same text at other places
    /// is counted in that one finding.
    pub(super) fn source(&mut self, place: &Place, text: &str) {
        let lacking = self.lacking(text);
        if lacking.is_empty() {
            return;
        }
        if let Some(&i) = self.reported.get(text) {
            if self.findings.get(i).is_some_and(|f| f.place != *place)
                && let Some(n) = self.elsewhere.get_mut(i)
            {
                *n += 1;
            }
            return;
        }
        self.report(place, text, &lacking);
    }

    /// A text the appendix composed (a heading, a finding's message, template text):
    /// reported at `place` unless every character it lacks lies in a text already reported
    /// that it may quote (`quotes`).
    pub(super) fn derived(&mut self, place: &Place, text: &str, quotes: Quotes<'_>) {
        let lacking = self.lacking(text);
        if lacking.is_empty() || self.quotes_whole(text) {
            return;
        }
        let candidates: Vec<usize> = match quotes {
            Quotes::Forms => Vec::new(),
            Quotes::Row(at) => row_of(at)
                .and_then(|row| self.by_row.get(&row))
                .cloned()
                .unwrap_or_default(),
            Quotes::All => (0..self.quoted.len()).collect(),
        };
        let mut rest = text.to_string();
        for quoted in candidates.iter().filter_map(|&i| self.quoted.get(i)) {
            if rest.contains(quoted.as_str()) {
                rest = rest.replace(quoted.as_str(), " ");
            }
        }
        if lacking.iter().any(|c| rest.contains(*c)) {
            self.report(place, text, &lacking);
        }
    }

    /// Whether `text` is a reported text in a form a table or chart prints it.
    fn quotes_whole(&self, text: &str) -> bool {
        let after_number = text
            .split_once(' ')
            .filter(|(number, _)| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
            .map(|(_, rest)| rest);
        let in_parentheses = text.strip_prefix('(').and_then(|t| t.strip_suffix(')'));
        [Some(text), after_number, in_parentheses]
            .into_iter()
            .flatten()
            .any(|form| self.reported.contains_key(form))
    }

    fn report(&mut self, place: &Place, text: &str, lacking: &[char]) {
        if lacking.is_empty() || self.reported.contains_key(text) {
            return;
        }
        self.reported.insert(text.to_string(), self.findings.len());
        self.elsewhere.push(0);
        if let Some(row) = row_of(place) {
            self.by_row.entry(row).or_default().push(self.quoted.len());
        }
        self.quoted.push(text.to_string());
        let message = format!(
            "{} in ‘{}’ {}",
            glyphs::named(lacking, CHARS_NAMED),
            glyphs::excerpt(text, lacking[0]),
            self.glyphs.lacking_verb(lacking.len() > 1),
        );
        self.findings.push(Finding::font(place.clone(), message));
    }

    /// The texts of the model, each at its cell (or its sheet, where the model keeps no
    /// cell: notes and footnote rows of the budget sheets).
    pub(super) fn werkplan(&mut self, werkplan: &Werkplan) {
        for theme in &werkplan.themes {
            self.source(&theme.place, &theme.name);
        }
        for table in [&werkplan.regulier, &werkplan.drenthe_breed] {
            self.budget_table(table);
        }
        let alliantie = &werkplan.alliantie;
        for award in &alliantie.awards {
            self.source(&award.place, &award.code);
            self.source(&award.place, &award.project);
            if let Some(voorbehoud) = &award.voorbehoud {
                self.source(&award.place, voorbehoud);
            }
        }
        for note in &alliantie.notes {
            self.source(&note.place, &note.text);
        }
        for source in &werkplan.sources {
            self.source(&Place::file(&source.path), &source.path);
        }
    }

    fn budget_table(&mut self, table: &BudgetTable) {
        for column in &table.columns {
            self.source(&column.place, &column.label);
        }
        for section in &table.sections {
            for line in &section.lines {
                self.source(&line.place, &line.code);
                self.source(&line.place, &line.description);
                if let Some(footnote) = &line.footnote {
                    self.source(&table.place, footnote);
                }
                for part in &line.parts {
                    self.source(&part.place, &part.description);
                    if let Some(footnote) = &part.footnote {
                        self.source(&table.place, footnote);
                    }
                }
            }
            for note in &section.notes {
                self.source(&table.place, note);
            }
        }
    }

    /// The texts of the appendix, each at the place it came from: the template, the table's
    /// sheet, the finding's place, the source file; the appendix's own title at the font.
    /// Font findings already in the appendix are not checked again.
    pub(super) fn appendix(
        &mut self,
        appendix: &Appendix,
        werkplan: &Werkplan,
        sources: &TextSources,
    ) {
        self.derived(&sources.font, &appendix.title, Quotes::All);
        self.derived(&sources.font, &appendix.version, Quotes::All);
        self.derived(&sources.font, &appendix.control.title, Quotes::All);
        for (blocks, place) in [
            (&appendix.intro, &sources.intro),
            (&appendix.control.text, &sources.controle),
        ] {
            for block in blocks {
                match block {
                    Block::Chapter(t)
                    | Block::Section(t)
                    | Block::Paragraph(t)
                    | Block::Bullet(t) => self.derived(place, t, Quotes::All),
                }
            }
        }
        let sheet = |instrument: Instrument| match instrument {
            Instrument::ReguliereMiddelen => werkplan.regulier.place.clone(),
            Instrument::DrentheBredeProjecten => werkplan.drenthe_breed.place.clone(),
            Instrument::Alliantieprojecten => werkplan.alliantie.awards_place.clone(),
        };
        // the change tables' descriptions come from the same sheets (an added line's name
        // included)
        let change_tables = appendix.changes.iter().flat_map(|c| &c.tables);
        for table in appendix.tables.iter().chain(change_tables) {
            let place = sheet(table.instrument);
            self.derived(&place, &table.title, Quotes::Forms);
            self.derived(&place, &table.label_header, Quotes::Forms);
            for column in &table.columns {
                self.derived(&place, &column.label, Quotes::Forms);
                if let Some(group) = &column.group {
                    self.derived(&place, group, Quotes::Forms);
                }
            }
            for row in &table.rows {
                self.derived(&place, &row.label, Quotes::Forms);
                for text in row.code.iter().chain(&row.remark) {
                    self.derived(&place, text, Quotes::Forms);
                }
                for marker in row.cells.iter().filter_map(|c| c.marker.as_ref()) {
                    self.derived(&place, marker, Quotes::Forms);
                }
            }
            for note in &table.footnotes {
                self.derived(&place, &note.marker, Quotes::Forms);
                self.derived(&place, &note.text, Quotes::Forms);
            }
        }
        for chart in &appendix.charts {
            let place = sheet(chart.instrument);
            self.derived(&place, &chart.title, Quotes::Forms);
            for text in chart
                .categories
                .iter()
                .chain(chart.series.iter().map(|s| &s.name))
            {
                self.derived(&place, text, Quotes::Forms);
            }
        }
        for finding in appendix
            .control
            .findings
            .iter()
            .filter(|f| f.kind != FindingKind::Lettertype)
        {
            for text in [
                &*finding.place.file,
                &*finding.place.sheet,
                finding.place.cell.as_str(),
                finding.message.as_str(),
            ] {
                self.derived(&finding.place, text, Quotes::Row(&finding.place));
            }
        }
        for source in &appendix.control.sources {
            let place = Place::file(&source.path);
            self.derived(&place, &source.path, Quotes::Forms);
            self.derived(&place, &source.sha256, Quotes::Forms);
        }
    }
}
