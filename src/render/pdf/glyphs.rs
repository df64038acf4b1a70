//! Characters the fonts lack: input text (project names, theme names, file names) may hold
//! any character — a check mark, an emoji, Chinese — and a PDF/UA document may not draw a
//! character its font has no glyph for. Before layout every text of the appendix is checked
//! against the fonts; each character they lack is replaced by a visible substitute that they
//! have (U+FFFD, else `?`), and each distinct (text, character) is noted as a Dutch
//! warning for the renderer's caller; the application reports the same characters earlier,
//! as findings at their places (`coverage`, which decides with [`Glyphs::warned`] what is
//! replaced here). Invisible characters the fonts lack (control characters, zero-width joiners,
//! variation selectors) are left out without a warning; white space becomes a space.
//!
//! A last pass over the laid-out pages catches the renderer's own characters (bullets, the
//! ellipsis, the middle dot) in a house-style font that lacks them.

use std::collections::{HashMap, HashSet};

use super::fonts::{Fonts, Style};
use super::layout::{Op, Page};
use crate::render::{Appendix, Block, Control};

/// The substitutes, in order of preference: the first that every face has is used.
const SUBSTITUTES: [char; 2] = ['\u{FFFD}', '?'];

/// How many characters of a text a warning quotes at most.
const EXCERPT_CHARS: usize = 80;

/// Characters below this code point (Latin, Greek, Cyrillic, …: nearly every character of a
/// werkplan) have their presence in the faces kept in a table instead of a hash map, as
/// every character of every text is looked up.
const TABLE_CHARS: usize = 0x800;

/// The slot of a face choice in the table: regular, bold, italic, all faces.
fn table_index(c: char, style: Option<Style>) -> Option<usize> {
    let face = match style {
        Some(Style::Regular) => 0,
        Some(Style::Bold) => 1,
        Some(Style::Italic) => 2,
        None => 3,
    };
    let c = u32::from(c) as usize;
    (c < TABLE_CHARS).then_some(c * 4 + face)
}

/// Whether `c` is a default-ignorable code point (Unicode's list): invisible, so it is left
/// out when the font lacks it.
fn default_ignorable(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

/// What happens to a character the fonts lack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fix {
    /// Replaced by this visible substitute, with a warning.
    Substitute(char),
    /// Left out, with a warning (no substitute available).
    Drop,
    /// Replaced by this character without a warning (white space).
    Quiet(char),
    /// Left out without a warning (invisible).
    QuietDrop,
}

/// Replaces characters the fonts lack and collects the warnings.
pub(super) struct Glyphs<'f, 'a> {
    fonts: &'f Fonts<'a>,
    substitute: Option<char>,
    /// Per character and face (`None`: all faces): whether it is there (0: not looked up
    /// yet, 1: there, 2: missing), for characters below [`TABLE_CHARS`].
    table: Vec<u8>,
    /// The same for the other characters.
    known: HashMap<(char, Option<Style>), bool>,
    reported: HashSet<(String, char)>,
    warnings: Vec<String>,
}

impl<'f, 'a> Glyphs<'f, 'a> {
    /// A checker for these fonts.
    pub(super) fn new(fonts: &'f Fonts<'a>) -> Glyphs<'f, 'a> {
        let substitute = SUBSTITUTES.into_iter().find(|c| fonts.covers(*c));
        Glyphs {
            fonts,
            substitute,
            table: vec![0; TABLE_CHARS * 4],
            known: HashMap::new(),
            reported: HashSet::new(),
            warnings: Vec::new(),
        }
    }

    /// The warnings so far, one per distinct (text, character), in the order found.
    pub(super) fn into_warnings(self) -> Vec<String> {
        self.warnings
    }

    /// Whether the face of `style` (every face for `None`) has `c`.
    fn has(&mut self, c: char, style: Option<Style>) -> bool {
        let fonts = self.fonts;
        let look_up = || match style {
            Some(style) => fonts.has(style, c),
            None => fonts.covers(c),
        };
        if let Some(slot) = table_index(c, style).and_then(|i| self.table.get_mut(i)) {
            if *slot == 0 {
                *slot = if look_up() { 1 } else { 2 };
            }
            return *slot == 1;
        }
        *self.known.entry((c, style)).or_insert_with(look_up)
    }

    fn fix_for(&mut self, c: char, style: Option<Style>) -> Fix {
        if c.is_whitespace() {
            return if self.has(' ', style) {
                Fix::Quiet(' ')
            } else {
                Fix::QuietDrop
            };
        }
        if c.is_control() || default_ignorable(c) {
            return Fix::QuietDrop;
        }
        let substitute = self.substitute;
        match substitute {
            Some(s) if self.has(s, style) => Fix::Substitute(s),
            _ => Fix::Drop,
        }
    }

    /// Whether every face has `c`.
    pub(super) fn covered(&mut self, c: char) -> bool {
        self.has(c, None)
    }

    /// Whether `c` is missing from some face and is drawn as a substitute or left out with a
    /// warning (not white space, not invisible).
    pub(super) fn warned(&mut self, c: char) -> bool {
        !self.has(c, None) && matches!(self.fix_for(c, None), Fix::Substitute(_) | Fix::Drop)
    }

    /// What happens to missing characters, as the end of a Dutch sentence whose subject is
    /// one character or (`plural`) several: `staat niet in het lettertype en is in de PDF
    /// vervangen door ‘?’`.
    pub(super) fn lacking_verb(&self, plural: bool) -> String {
        let (staat, is) = if plural {
            ("staan", "zijn")
        } else {
            ("staat", "is")
        };
        let done = match self.substitute.filter(|s| self.fonts.covers(*s)) {
            Some(s) => format!("vervangen door ‘{s}’"),
            None => "weggelaten".to_string(),
        };
        format!("{staat} niet in het lettertype en {is} in de PDF {done}")
    }

    /// Replaces in `text` every character the face of `style` (every face for `None`) lacks.
    fn fix(&mut self, text: &mut String, style: Option<Style>) {
        let missing: Vec<char> = text.chars().filter(|c| !self.has(*c, style)).collect();
        if missing.is_empty() {
            return;
        }
        let original = text.clone();
        let mut fixed = String::with_capacity(text.len());
        for c in original.chars() {
            if self.has(c, style) {
                fixed.push(c);
                continue;
            }
            let fix = self.fix_for(c, style);
            match fix {
                Fix::Substitute(s) | Fix::Quiet(s) => fixed.push(s),
                Fix::Drop | Fix::QuietDrop => {}
            }
            if matches!(fix, Fix::Substitute(_) | Fix::Drop)
                && self.reported.insert((original.clone(), c))
            {
                self.warnings.push(warning(&original, c, fix));
            }
        }
        *text = fixed;
    }

    /// A copy of the appendix with every text the publication prints checked against all
    /// faces (the control's texts are checked by [`Glyphs::control`]).
    pub(super) fn publication(&mut self, appendix: &Appendix) -> Appendix {
        let mut a = appendix.clone();
        self.fix(&mut a.title, None);
        self.fix(&mut a.version, None);
        self.blocks(&mut a.intro);
        for table in &mut a.tables {
            self.table(table);
        }
        if let Some(section) = &mut a.changes {
            self.blocks(&mut section.text);
            for table in &mut section.tables {
                self.table(table);
            }
        }
        for chart in &mut a.charts {
            self.fix(&mut chart.title, None);
            for category in &mut chart.categories {
                self.fix(category, None);
            }
            for series in &mut chart.series {
                self.fix(&mut series.name, None);
            }
        }
        a
    }

    /// A copy of the control report's content with every text it prints checked against
    /// all faces: only the control is copied, never the tables.
    pub(super) fn control(&mut self, control: &Control) -> Control {
        let mut c = control.clone();
        self.fix(&mut c.title, None);
        self.blocks(&mut c.text);
        self.blocks(&mut c.left_out);
        for finding in &mut c.findings {
            self.finding(finding);
        }
        for source in &mut c.sources {
            self.fix(&mut source.path, None);
            self.fix(&mut source.sha256, None);
        }
        if let Some(changes) = &mut c.changes {
            self.fix(&mut changes.basis, None);
            for finding in changes
                .new_findings
                .iter_mut()
                .chain(changes.gone_findings.iter_mut())
            {
                self.finding(finding);
            }
            for place in &mut changes.places {
                self.fix(&mut place.instrument, None);
                self.fix(&mut place.line, None);
                self.fix(&mut place.figure, None);
                self.place(&mut place.place);
            }
        }
        c
    }

    /// Checks a finding's place and message in place.
    fn finding(&mut self, finding: &mut crate::model::Finding) {
        self.place(&mut finding.place);
        self.fix(&mut finding.message, None);
    }

    /// Checks a place in place.
    fn place(&mut self, place: &mut crate::model::Place) {
        // file and sheet names are shared: fixed in a copy
        for name in [&mut place.file, &mut place.sheet] {
            let mut text = name.to_string();
            self.fix(&mut text, None);
            *name = text.into();
        }
        self.fix(&mut place.cell, None);
    }

    /// Checks every text of a report table in place.
    fn table(&mut self, table: &mut crate::render::ReportTable) {
        self.fix(&mut table.title, None);
        self.fix(&mut table.label_header, None);
        for column in &mut table.columns {
            self.fix(&mut column.label, None);
            if let Some(group) = &mut column.group {
                self.fix(group, None);
            }
        }
        for row in &mut table.rows {
            self.fix(&mut row.label, None);
            if let Some(code) = &mut row.code {
                self.fix(code, None);
            }
            if let Some(remark) = &mut row.remark {
                self.fix(remark, None);
            }
            for cell in &mut row.cells {
                if let Some(marker) = &mut cell.marker {
                    self.fix(marker, None);
                }
            }
        }
        for note in &mut table.footnotes {
            self.fix(&mut note.marker, None);
            self.fix(&mut note.text, None);
        }
    }

    /// Checks rendered text blocks in place.
    fn blocks(&mut self, blocks: &mut [Block]) {
        for block in blocks {
            match block {
                Block::Chapter(t) | Block::Section(t) | Block::Paragraph(t) | Block::Bullet(t) => {
                    self.fix(t, None)
                }
            }
        }
    }

    /// Checks a text drawn in `style` outside the appendix (page furniture).
    pub(super) fn text(&mut self, text: &str, style: Style) -> String {
        let mut text = text.to_string();
        self.fix(&mut text, Some(style));
        text
    }

    /// Checks every text on the laid-out pages against the face it is drawn in.
    pub(super) fn pages(&mut self, pages: &mut [Page]) {
        for page in pages {
            for op in &mut page.ops {
                if let Op::Text { style, text, .. } = op {
                    self.fix(text, Some(*style));
                }
            }
        }
    }
}

/// The Dutch warning for character `c` in `text`.
fn warning(text: &str, c: char, fix: Fix) -> String {
    let done = match fix {
        Fix::Substitute(s) | Fix::Quiet(s) => format!("vervangen door ‘{s}’"),
        Fix::Drop | Fix::QuietDrop => "weggelaten".to_string(),
    };
    format!(
        "teken ‘{c}’ (U+{:04X}) in ‘{}’ staat niet in het lettertype en is in de PDF {done}",
        u32::from(c),
        excerpt(text, c)
    )
}

/// Characters for a message: `teken ‘✓’ (U+2713)`, or `tekens ‘🧓’ (U+1F9D3), ‘👍’ (U+1F44D)
/// en ‘社’ (U+793E)`, naming at most `max` and counting the rest.
pub(super) fn named(chars: &[char], max: usize) -> String {
    let one = |c: &char| format!("‘{c}’ (U+{:04X})", u32::from(*c));
    let [first] = chars else {
        let shown: Vec<String> = chars.iter().take(max.max(1)).map(one).collect();
        let rest = chars.len().saturating_sub(shown.len());
        let list = if rest > 0 {
            format!("{} en nog {rest} andere", shown.join(", "))
        } else {
            crate::render::text::enumeration(&shown)
        };
        return format!("tekens {list}");
    };
    format!("teken {}", one(first))
}

/// `text` for a message: control characters as spaces, and a long text shortened to the part
/// around the first `c`.
pub(super) fn excerpt(text: &str, c: char) -> String {
    let chars: Vec<char> = text
        .chars()
        .map(|ch| if ch.is_control() { ' ' } else { ch })
        .collect();
    if chars.len() <= EXCERPT_CHARS {
        return chars.into_iter().collect();
    }
    let at = chars.iter().position(|ch| *ch == c).unwrap_or(0);
    let half = EXCERPT_CHARS / 2;
    let start = at.saturating_sub(half).min(chars.len() - EXCERPT_CHARS);
    let end = start + EXCERPT_CHARS;
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::PdfOptions;

    #[test]
    fn missing_characters_are_replaced_and_reported_once() {
        let options = PdfOptions::default();
        let fonts = Fonts::load(&options).unwrap();
        let mut glyphs = Glyphs::new(&fonts);
        let mut text = "Levensloop bestendig wonen ✓ ✓".to_string();
        glyphs.fix(&mut text, None);
        assert_eq!(text, "Levensloop bestendig wonen ? ?");
        // an emoji with a variation selector: the invisible selector goes
        let mut emoji = "Samen 👍\u{FE0F} sterk".to_string();
        glyphs.fix(&mut emoji, None);
        assert_eq!(emoji, "Samen ? sterk");
        // a line break becomes a space, quietly
        let mut broken = "Twee\nregels".to_string();
        glyphs.fix(&mut broken, None);
        assert_eq!(broken, "Twee regels");
        let warnings = glyphs.into_warnings();
        assert_eq!(
            warnings,
            vec![
                "teken ‘✓’ (U+2713) in ‘Levensloop bestendig wonen ✓ ✓’ staat niet in het \
                 lettertype en is in de PDF vervangen door ‘?’"
                    .to_string(),
                "teken ‘👍’ (U+1F44D) in ‘Samen 👍\u{FE0F} sterk’ staat niet in het \
                 lettertype en is in de PDF vervangen door ‘?’"
                    .to_string(),
            ]
        );
    }

    #[test]
    fn missing_characters_are_named_in_one_phrase() {
        assert_eq!(named(&['✓'], 5), "teken ‘✓’ (U+2713)");
        assert_eq!(
            named(&['✓', '社'], 5),
            "tekens ‘✓’ (U+2713) en ‘社’ (U+793E)"
        );
        let many: Vec<char> = "社区中心文化馆".chars().collect();
        assert_eq!(
            named(&many, 3),
            "tekens ‘社’ (U+793E), ‘区’ (U+533A), ‘中’ (U+4E2D) en nog 4 andere"
        );
        let options = PdfOptions::default();
        let fonts = Fonts::load(&options).unwrap();
        let mut glyphs = Glyphs::new(&fonts);
        assert!(glyphs.warned('✓') && glyphs.warned('👍'));
        // present, white space, invisible: drawn or left out without a word
        assert!(!glyphs.warned('ë') && !glyphs.warned('\u{2028}') && !glyphs.warned('\u{FE0F}'));
        assert_eq!(
            glyphs.lacking_verb(true),
            "staan niet in het lettertype en zijn in de PDF vervangen door ‘?’"
        );
    }

    #[test]
    fn a_long_text_is_quoted_around_the_character() {
        let text = format!("{}中{}", "a".repeat(100), "b".repeat(100));
        let shown = excerpt(&text, '中');
        assert_eq!(shown.chars().count(), EXCERPT_CHARS + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains("a中b"), "{shown}");
        assert_eq!(excerpt("kort ✓", '✓'), "kort ✓");
    }
}
