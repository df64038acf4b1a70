//! Font coverage as findings: every text the appendix prints is checked against the PDF's
//! fonts before anything is rendered, and each text with characters the fonts lack becomes
//! one warning ([`FindingKind::Lettertype`](crate::model::FindingKind)) at the place the text
//! came from — the spreadsheet cell for what the model read from a cell, the template file for
//! template text, the font for the program's own characters (`€`, `•`, `…`). Because it runs
//! where all findings are made, `check` and `build` count the same warnings and `--strict`
//! stops both alike.
//!
//! A text is reported once: the cells of the model first, then the texts of the appendix that
//! do not merely quote a text already reported (a theme heading `1 Wonen ✓` quotes the theme
//! name `Wonen ✓`, a remark `(ovb ✓)` its cell).

use std::collections::HashSet;

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
    /// The texts reported, for exact look-up.
    reported: HashSet<String>,
    /// The texts reported, in order, for texts that quote them.
    quoted: Vec<String>,
    findings: Vec<Finding>,
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
            reported: HashSet::new(),
            quoted: Vec::new(),
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
            coverage.program.extend(lacking);
        }
        coverage
    }

    /// The findings, in the order found.
    pub(super) fn into_findings(self) -> Vec<Finding> {
        self.findings
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

    /// A text as the model read it from `place`: reported unless the same text was.
    pub(super) fn source(&mut self, place: &Place, text: &str) {
        let lacking = self.lacking(text);
        self.report(place, text, &lacking);
    }

    /// A text the appendix composed (a heading, a finding's message, template text):
    /// reported at `place` unless every character it lacks lies in a text already reported.
    pub(super) fn derived(&mut self, place: &Place, text: &str) {
        let lacking = self.lacking(text);
        if lacking.is_empty() || self.reported.contains(text) {
            return;
        }
        let mut rest = text.to_string();
        for quoted in &self.quoted {
            if rest.contains(quoted.as_str()) {
                rest = rest.replace(quoted.as_str(), " ");
            }
        }
        if lacking.iter().any(|c| rest.contains(*c)) {
            self.report(place, text, &lacking);
        }
    }

    fn report(&mut self, place: &Place, text: &str, lacking: &[char]) {
        if lacking.is_empty() || !self.reported.insert(text.to_string()) {
            return;
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
        let alliance = &werkplan.alliantie;
        for award in &alliance.awards {
            self.source(&award.place, &award.code);
            self.source(&award.place, &award.project);
            if let Some(voorbehoud) = &award.voorbehoud {
                self.source(&award.place, voorbehoud);
            }
        }
        for note in &alliance.notes {
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
        self.derived(&sources.font, &appendix.title);
        self.derived(&sources.font, &appendix.version);
        for (blocks, place) in [
            (&appendix.intro, &sources.intro),
            (&appendix.controle_text, &sources.controle),
        ] {
            for block in blocks {
                match block {
                    Block::Chapter(t)
                    | Block::Section(t)
                    | Block::Paragraph(t)
                    | Block::Bullet(t) => self.derived(place, t),
                }
            }
        }
        let sheet = |instrument: Instrument| match instrument {
            Instrument::ReguliereMiddelen => werkplan.regulier.place.clone(),
            Instrument::DrentheBredeProjecten => werkplan.drenthe_breed.place.clone(),
            Instrument::Alliantieprojecten => werkplan.alliantie.awards_place.clone(),
        };
        for table in &appendix.tables {
            let place = sheet(table.instrument);
            self.derived(&place, &table.title);
            self.derived(&place, &table.label_header);
            for column in &table.columns {
                self.derived(&place, &column.label);
                if let Some(group) = &column.group {
                    self.derived(&place, group);
                }
            }
            for row in &table.rows {
                self.derived(&place, &row.label);
                for text in row.code.iter().chain(&row.remark) {
                    self.derived(&place, text);
                }
                for marker in row.cells.iter().filter_map(|c| c.marker.as_ref()) {
                    self.derived(&place, marker);
                }
            }
            for note in &table.footnotes {
                self.derived(&place, &note.marker);
                self.derived(&place, &note.text);
            }
        }
        for chart in &appendix.charts {
            let place = sheet(chart.instrument);
            self.derived(&place, &chart.title);
            for text in chart
                .categories
                .iter()
                .chain(chart.series.iter().map(|s| &s.name))
            {
                self.derived(&place, text);
            }
        }
        for finding in appendix
            .findings
            .iter()
            .filter(|f| f.kind != FindingKind::Lettertype)
        {
            for text in [
                &finding.place.file,
                &finding.place.sheet,
                &finding.place.cell,
                &finding.message,
            ] {
                self.derived(&finding.place, text);
            }
        }
        for source in &appendix.sources {
            let place = Place::file(&source.path);
            self.derived(&place, &source.path);
            self.derived(&place, &source.sha256);
        }
    }
}
