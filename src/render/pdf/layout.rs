//! Layout: the page geometry (A4 portrait, and A4 landscape for tables too wide for portrait),
//! the display list a page is drawn from, the flow that places blocks down the pages, and the
//! pure helpers behind it (wrapping, clipping with an ellipsis, alignment, pagination with
//! keep-with-next).
//!
//! Layout never touches krilla's drawing API: it produces [`Op`]s per page and a tree of
//! [`TagNode`]s whose leaves are [`Slot`]s. `emit` draws the ops, turns every
//! [`Op::Tagged`] section into a krilla identifier and hangs it in the tag tree where its slot
//! stands. So the page count is known before anything is drawn (`Pagina X van Y`).

use std::ops::Range;

use krilla::tagging::{Tag, TagKind};

use super::fonts::{Fonts, Style};

/// A4 width in points (portrait).
pub(super) const PAGE_WIDTH: f32 = 595.276;
/// A4 height in points (portrait).
pub(super) const PAGE_HEIGHT: f32 = 841.89;
/// Left margin (25 mm).
pub(super) const LEFT: f32 = 70.87;
/// Right margin (20 mm).
const RIGHT_MARGIN: f32 = 56.69;
/// Right edge of the text area of a portrait page.
pub(super) const RIGHT: f32 = PAGE_WIDTH - RIGHT_MARGIN;
/// Width of the text area of a portrait page.
pub(super) const CONTENT_WIDTH: f32 = RIGHT - LEFT;
/// Top of the text area (below the page header).
pub(super) const TOP: f32 = 82.0;
/// Space between the bottom of the text area and the bottom of the page (the footer).
const BOTTOM_MARGIN: f32 = 66.0;
/// Tolerance when comparing heights.
const EPSILON: f32 = 0.01;

/// How a page stands: A4 portrait (the document) or A4 landscape (a table too wide for
/// portrait).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(super) enum Orientation {
    /// 210 × 297 mm.
    #[default]
    Portrait,
    /// 297 × 210 mm.
    Landscape,
}

/// The geometry of a page of one orientation; the margins are the same on both.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Geometry {
    /// Page width.
    pub width: f32,
    /// Page height.
    pub height: f32,
    /// Right edge of the text area.
    pub right: f32,
    /// Width of the text area (from [`LEFT`] to `right`).
    pub content_width: f32,
    /// Bottom of the text area (the text area starts at [`TOP`]).
    pub bottom: f32,
}

impl Orientation {
    /// The page geometry.
    pub(super) fn geometry(self) -> Geometry {
        let (width, height) = match self {
            Orientation::Portrait => (PAGE_WIDTH, PAGE_HEIGHT),
            Orientation::Landscape => (PAGE_HEIGHT, PAGE_WIDTH),
        };
        Geometry {
            width,
            height,
            right: width - RIGHT_MARGIN,
            content_width: width - RIGHT_MARGIN - LEFT,
            bottom: height - BOTTOM_MARGIN,
        }
    }
}

/// One laid-out page: its orientation and what is drawn on it.
#[derive(Clone, Debug, Default)]
pub(super) struct Page {
    /// Portrait or landscape.
    pub orientation: Orientation,
    /// The display list.
    pub ops: Vec<Op>,
}
/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Rgb(pub u8, pub u8, pub u8);

/// The colours of the document.
pub(super) mod colors {
    use super::Rgb;
    /// Body text.
    pub const TEXT: Rgb = Rgb(0x1A, 0x1A, 0x1A);
    /// Headings and the header band's text.
    pub const HEADING: Rgb = Rgb(0x0B, 0x33, 0x5B);
    /// Secondary text (page furniture, captions, notes).
    pub const MUTED: Rgb = Rgb(0x4A, 0x4F, 0x57);
    /// Table header background.
    pub const HEADER_FILL: Rgb = Rgb(0xDC, 0xE5, 0xEF);
    /// Theme heading background.
    pub const BAND_FILL: Rgb = Rgb(0xF0, 0xF3, 0xF7);
    /// Strong rules (header, total).
    pub const RULE: Rgb = Rgb(0x0B, 0x33, 0x5B);
    /// Hairlines between rows.
    pub const HAIRLINE: Rgb = Rgb(0xC9, 0xD1, 0xDB);
    /// Negative amounts: text.
    pub const NEGATIVE: Rgb = Rgb(0xA3, 0x12, 0x1B);
    /// Negative amounts: cell background.
    pub const NEGATIVE_FILL: Rgb = Rgb(0xFB, 0xE4, 0xE4);
}

/// Where a tagged piece of content belongs in the tag tree.
pub(super) type Slot = usize;

/// Page furniture kinds (artifacts): not part of the logical structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Furniture {
    /// Rules, backgrounds, bullets: layout decoration.
    Layout,
    /// Repeated table headers and continuation captions.
    Pagination,
}

/// One drawing operation. Coordinates are points from the page's top-left corner, y down;
/// `y` of text is its baseline.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Op {
    /// A line of text.
    Text {
        /// Left edge.
        x: f32,
        /// Baseline.
        y: f32,
        /// Face.
        style: Style,
        /// Size in points.
        size: f32,
        /// Colour.
        color: Rgb,
        /// The text.
        text: String,
    },
    /// A filled rectangle (also used for rules).
    Rect {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Fill.
        color: Rgb,
    },
    /// Starts real content belonging to a slot (ends at [`Op::End`]).
    Tagged(Slot),
    /// Starts page furniture (ends at [`Op::End`]).
    Artifact(Furniture),
    /// Ends the current tagged or artifact section.
    End,
}

/// A node of the logical structure: a tag group, or a slot whose content is drawn somewhere.
#[derive(Clone, Debug)]
pub(super) enum TagNode {
    /// A structure element with children.
    Group(TagKind, Vec<TagNode>),
    /// The marked content drawn for this slot (possibly on several pages).
    Slot(Slot),
}

impl TagNode {
    /// A group.
    pub(super) fn group(tag: impl Into<TagKind>, children: Vec<TagNode>) -> TagNode {
        TagNode::Group(tag.into(), children)
    }

    /// A paragraph holding one slot.
    pub(super) fn paragraph(slot: Slot) -> TagNode {
        TagNode::group(Tag::P, vec![TagNode::Slot(slot)])
    }
}

/// A heading for the outline (bookmarks).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct OutlineEntry {
    /// 1 or 2.
    pub level: u16,
    /// The heading text.
    pub title: String,
    /// Zero-based page.
    pub page: usize,
    /// Top of the heading on that page.
    pub y: f32,
}

/// A line of wrapped text: segments of one style each. Every segment after the first starts
/// with the space that separates it from the one before.
pub(super) type Line = Vec<(Style, String)>;

/// Wraps styled runs into lines no wider than `max_width`, breaking at spaces. A word wider
/// than a line on its own is broken between characters.
pub(super) fn wrap(
    runs: &[(Style, &str)],
    max_width: f32,
    measure: &dyn Fn(Style, &str) -> f32,
) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut line: Line = Vec::new();
    let width_of = |line: &Line| -> f32 { line.iter().map(|(s, t)| measure(*s, t)).sum() };
    for (style, text) in runs {
        // a parenthetical run (a remark such as `(ovb voorhangprocedure)`) is not broken
        // when it fits on a line of its own
        let text = text.trim();
        let tokens = if text.starts_with('(')
            && text.ends_with(')')
            && measure(*style, text) <= max_width + EPSILON
        {
            vec![text.to_string()]
        } else {
            words(text)
        };
        for word in tokens {
            let word = word.as_str();
            if !line.is_empty() {
                let mut candidate = line.clone();
                append(&mut candidate, *style, word);
                if width_of(&candidate) <= max_width + EPSILON {
                    line = candidate;
                    continue;
                }
                lines.push(std::mem::take(&mut line));
            }
            if measure(*style, word) <= max_width + EPSILON {
                line.push((*style, word.to_string()));
                continue;
            }
            // one word wider than a line: break it between characters
            let mut piece = String::new();
            for ch in word.chars() {
                let mut longer = piece.clone();
                longer.push(ch);
                if !piece.is_empty() && measure(*style, &longer) > max_width + EPSILON {
                    lines.push(vec![(*style, std::mem::take(&mut piece))]);
                    piece.push(ch);
                } else {
                    piece = longer;
                }
            }
            line.push((*style, piece));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The words of a text; a currency sign stays with the amount after it (`€ 3.160.000`).
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue = false;
    for word in text.split_whitespace() {
        match out.last_mut() {
            Some(last) if glue => {
                last.push(' ');
                last.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
        glue = word == "€";
    }
    out
}

fn append(line: &mut Line, style: Style, word: &str) {
    match line.last_mut() {
        None => line.push((style, word.to_string())),
        Some((last_style, text)) if *last_style == style => {
            text.push(' ');
            text.push_str(word);
        }
        Some(_) => line.push((style, format!(" {word}"))),
    }
}

/// The plain text of a line.
pub(super) fn line_text(line: &Line) -> String {
    line.iter().map(|(_, t)| t.as_str()).collect()
}

/// Horizontal alignment in a box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right (amounts).
    Right,
}

/// The x at which text of `text_width` starts in a box from `left` of `width`.
pub(super) fn align_x(align: Align, left: f32, width: f32, text_width: f32) -> f32 {
    match align {
        Align::Left => left,
        Align::Center => left + (width - text_width) / 2.0,
        Align::Right => left + width - text_width,
    }
}

/// The baseline of a line of text of `size` points in a line box of `leading` from `top`:
/// the cap height (about 0.73 em for Liberation Sans) centred in the box.
pub(super) fn baseline(top: f32, size: f32, leading: f32) -> f32 {
    top + leading / 2.0 + 0.365 * size
}

/// Splits rows into pages: the rows of each page, in order.
///
/// `heights` are the rows' heights; `break_before[i]` says whether a page may end before row
/// `i` (keep-with-next and keep-with-previous set it to false). `first` is the space left on
/// the current page, `full` the space on a fresh page (both after the table header).
///
/// The first range is empty when not even the first unbreakable group of rows fits in
/// `first` (the table then starts on a new page). A group taller than a whole page is broken
/// where it must.
pub(super) fn paginate(
    heights: &[f32],
    break_before: &[bool],
    first: f32,
    full: f32,
) -> Vec<Range<usize>> {
    let n = heights.len();
    let mut pages = Vec::new();
    let mut start = 0;
    let mut space = first;
    let mut used = 0.0;
    let mut i = 0;
    while i < n {
        if used + heights[i] <= space + EPSILON || (i == start && space >= full - EPSILON) {
            // fits, or a single row taller than a fresh page: place it anyway
            used += heights[i];
            i += 1;
            continue;
        }
        let allowed = (start + 1..=i)
            .rev()
            .find(|&j| break_before.get(j).copied().unwrap_or(true));
        let end = match allowed {
            Some(j) => j,
            None if pages.is_empty() && space < full - EPSILON => start,
            None => i.max(start + 1),
        };
        pages.push(start..end);
        start = end;
        i = end;
        space = full;
        used = 0.0;
    }
    if start < n || pages.is_empty() {
        pages.push(start..n);
    }
    pages
}

/// The flow: places content down the pages.
pub(super) struct Flow<'f, 'a> {
    /// The fonts, for measuring.
    pub fonts: &'f Fonts<'a>,
    /// The pages laid out so far; the last one is the current page.
    pub pages: Vec<Page>,
    /// The top of the free space on the current page.
    pub y: f32,
    /// Headings for the outline.
    pub outline: Vec<OutlineEntry>,
    /// The logical structure, in reading order.
    pub tree: Vec<TagNode>,
    slots: usize,
}

impl<'f, 'a> Flow<'f, 'a> {
    /// A flow on a first, empty portrait page.
    pub(super) fn new(fonts: &'f Fonts<'a>) -> Flow<'f, 'a> {
        Flow {
            fonts,
            pages: vec![Page::default()],
            y: TOP,
            outline: Vec::new(),
            tree: Vec::new(),
            slots: 0,
        }
    }

    /// The current page's index.
    pub(super) fn page(&self) -> usize {
        self.pages.len() - 1
    }

    /// The current page's orientation.
    pub(super) fn orientation(&self) -> Orientation {
        self.pages.last().map(|p| p.orientation).unwrap_or_default()
    }

    /// The current page's geometry.
    pub(super) fn geometry(&self) -> Geometry {
        self.orientation().geometry()
    }

    /// The free height left on the current page.
    pub(super) fn remaining(&self) -> f32 {
        self.geometry().bottom - self.y
    }

    /// Whether nothing has been placed on the current page yet.
    pub(super) fn at_page_top(&self) -> bool {
        self.y <= TOP + EPSILON
    }

    /// Starts a new page of the current orientation, with room for as many operations as
    /// the page before it had (a long table's pages are alike: no regrowing per page).
    pub(super) fn new_page(&mut self) {
        let orientation = self.orientation();
        let room = self.pages.last().map_or(0, |page| page.ops.len());
        self.pages.push(Page {
            orientation,
            ops: Vec::with_capacity(room),
        });
        self.y = TOP;
    }

    /// Continues on a page of `orientation`: the current page when it has that orientation,
    /// or when nothing is on it yet (it is turned); else a new page.
    pub(super) fn set_orientation(&mut self, orientation: Orientation) {
        if self.orientation() == orientation {
            return;
        }
        match self.pages.last_mut() {
            Some(page) if page.ops.is_empty() => {
                page.orientation = orientation;
            }
            _ => self.pages.push(Page {
                orientation,
                ops: Vec::new(),
            }),
        }
        self.y = TOP;
    }

    /// Starts a new page unless `height` still fits on this one (or this one is empty).
    pub(super) fn ensure(&mut self, height: f32) {
        if height > self.remaining() + EPSILON && !self.at_page_top() {
            self.new_page();
        }
    }

    /// Moves the cursor down, but not past the page bottom and not at the top of a page.
    pub(super) fn space(&mut self, height: f32) {
        if !self.at_page_top() {
            self.y = (self.y + height).min(self.geometry().bottom);
        }
    }

    /// A fresh slot.
    pub(super) fn slot(&mut self) -> Slot {
        self.slots += 1;
        self.slots - 1
    }

    /// The number of slots handed out.
    pub(super) fn slot_count(&self) -> usize {
        self.slots
    }

    /// Adds an op to the current page.
    pub(super) fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.ops.push(op);
        }
    }

    /// Text width in points.
    pub(super) fn width(&self, style: Style, size: f32, text: &str) -> f32 {
        self.fonts.width(style, size, text)
    }

    /// Wraps styled runs to `max_width` at `size`.
    pub(super) fn wrap(&self, runs: &[(Style, &str)], size: f32, max_width: f32) -> Vec<Line> {
        let fonts = self.fonts;
        wrap(runs, max_width, &|style, text| {
            fonts.width(style, size, text)
        })
    }

    /// Keeps the first `max` lines (at least one). When lines are dropped, the last kept line
    /// ends in an ellipsis and still fits `max_width` at `size`.
    pub(super) fn clip(
        &self,
        lines: Vec<Line>,
        max: usize,
        size: f32,
        max_width: f32,
    ) -> Vec<Line> {
        let max = max.max(1);
        if lines.len() <= max {
            return lines;
        }
        let mut lines = lines;
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            loop {
                let mut candidate = last.clone();
                match candidate.last_mut() {
                    Some((_, text)) => {
                        let trimmed = text.trim_end().len();
                        text.truncate(trimmed);
                        text.push('…');
                    }
                    None => candidate.push((Style::Regular, "…".to_string())),
                }
                let width: f32 = candidate
                    .iter()
                    .map(|(style, text)| self.width(*style, size, text))
                    .sum();
                if width <= max_width + EPSILON || line_text(last).chars().count() <= 1 {
                    *last = candidate;
                    break;
                }
                // one character less, and try again
                if let Some((_, text)) = last.last_mut() {
                    text.pop();
                    if text.is_empty() {
                        last.pop();
                    }
                }
            }
        }
        lines
    }

    /// Draws a wrapped line from `x` at baseline `y`, segment after segment. `trailing_space`
    /// adds an (invisible) space at the end, so that text extracted from the structure keeps
    /// the word break of a wrapped line.
    pub(super) fn draw_line(
        &mut self,
        line: &Line,
        x: f32,
        y: f32,
        size: f32,
        color: Rgb,
        trailing_space: bool,
    ) {
        let mut x = x;
        let count = line.len();
        for (i, (style, text)) in line.iter().enumerate() {
            let mut text = text.clone();
            if trailing_space && i + 1 == count {
                text.push(' ');
            }
            let width = self.width(*style, size, &text);
            self.push(Op::Text {
                x,
                y,
                style: *style,
                size,
                color,
                text,
            });
            x += width;
        }
    }

    /// Draws one single-style string.
    pub(super) fn text(&mut self, x: f32, y: f32, style: Style, size: f32, color: Rgb, text: &str) {
        self.push(Op::Text {
            x,
            y,
            style,
            size,
            color,
            text: text.to_string(),
        });
    }

    /// Draws a filled rectangle as layout furniture.
    pub(super) fn decoration(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.push(Op::Artifact(Furniture::Layout));
        self.push(Op::Rect { x, y, w, h, color });
        self.push(Op::End);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character is 1 wide, a space too.
    fn mono(_: Style, text: &str) -> f32 {
        text.chars().count() as f32
    }

    fn plain(lines: &[Line]) -> Vec<String> {
        lines.iter().map(line_text).collect()
    }

    #[test]
    fn wrap_breaks_at_spaces() {
        let lines = wrap(
            &[(
                Style::Regular,
                "Subsidies sociaal econ. ontwikk. en onderst.",
            )],
            20.0,
            &mono,
        );
        assert_eq!(
            plain(&lines),
            vec!["Subsidies sociaal", "econ. ontwikk. en", "onderst."]
        );
        for line in &lines {
            assert!(mono(Style::Regular, &line_text(line)) <= 20.0);
        }
    }

    #[test]
    fn wrap_keeps_a_short_text_on_one_line() {
        let lines = wrap(&[(Style::Regular, "  Adviescommissie  ")], 40.0, &mono);
        assert_eq!(plain(&lines), vec!["Adviescommissie"]);
        assert!(wrap(&[(Style::Regular, "   ")], 40.0, &mono).is_empty());
    }

    #[test]
    fn wrap_mixes_styles_with_the_space_in_the_later_segment() {
        let runs = [
            (Style::Regular, "Opzetten zorgketen"),
            (Style::Italic, "ovb voorhangprocedure"),
        ];
        let lines = wrap(&runs, 23.0, &mono);
        assert_eq!(
            lines,
            vec![
                vec![
                    (Style::Regular, "Opzetten zorgketen".to_string()),
                    (Style::Italic, " ovb".to_string())
                ],
                vec![(Style::Italic, "voorhangprocedure".to_string())],
            ]
        );
        let one = wrap(&runs, 60.0, &mono);
        assert_eq!(
            one,
            vec![vec![
                (Style::Regular, "Opzetten zorgketen".to_string()),
                (Style::Italic, " ovb voorhangprocedure".to_string())
            ]]
        );
    }

    #[test]
    fn wrap_keeps_a_parenthetical_remark_together() {
        let runs = [
            (Style::Regular, "De Droomfabriek"),
            (Style::Italic, "(ovb voorhangprocedure)"),
        ];
        let lines = wrap(&runs, 28.0, &mono);
        assert_eq!(
            plain(&lines),
            vec!["De Droomfabriek", "(ovb voorhangprocedure)"]
        );
        // too long for a line: broken like any text
        let lines = wrap(&runs, 20.0, &mono);
        assert_eq!(
            plain(&lines),
            vec!["De Droomfabriek (ovb", "voorhangprocedure)"]
        );
    }

    #[test]
    fn wrap_keeps_the_euro_sign_with_its_amount() {
        let lines = wrap(
            &[(Style::Regular, "budget van € 3.160.000 en")],
            14.0,
            &mono,
        );
        assert_eq!(plain(&lines), vec!["budget van", "€ 3.160.000 en"]);
    }

    #[test]
    fn wrap_breaks_a_word_longer_than_the_line() {
        let lines = wrap(
            &[(Style::Regular, "ab input/werkplan-2022.xlsx")],
            10.0,
            &mono,
        );
        assert_eq!(
            plain(&lines),
            vec!["ab", "input/werk", "plan-2022.", "xlsx"]
        );
    }

    #[test]
    fn right_alignment_puts_the_last_digit_on_the_column_edge() {
        let x = align_x(Align::Right, 100.0, 60.0, 42.5);
        assert!((x + 42.5 - 160.0).abs() < 1e-4);
        assert_eq!(align_x(Align::Left, 100.0, 60.0, 42.5), 100.0);
        assert!((align_x(Align::Center, 100.0, 60.0, 40.0) - 110.0).abs() < 1e-4);
    }

    #[test]
    fn paginate_fills_pages_and_breaks_between_rows() {
        let heights = [10.0; 7];
        let breaks = [true; 7];
        assert_eq!(paginate(&heights, &breaks, 100.0, 100.0), vec![0..7]);
        assert_eq!(paginate(&heights, &breaks, 30.0, 40.0), vec![0..3, 3..7]);
        assert_eq!(
            paginate(&heights, &breaks, 25.0, 20.0),
            vec![0..2, 2..4, 4..6, 6..7]
        );
    }

    #[test]
    fn paginate_keeps_a_heading_with_the_next_row() {
        // rows: 0 line, 1 line, 2 heading, 3 line; a break before 3 is not allowed
        let heights = [10.0; 4];
        let breaks = [true, true, true, false];
        // three rows fit: the heading would stand alone at the bottom, so it moves along
        assert_eq!(paginate(&heights, &breaks, 30.0, 100.0), vec![0..2, 2..4]);
    }

    #[test]
    fn paginate_starts_on_a_new_page_when_the_first_group_does_not_fit() {
        let heights = [10.0; 4];
        let breaks = [true, false, true, true];
        assert_eq!(paginate(&heights, &breaks, 15.0, 100.0), vec![0..0, 0..4]);
        // on a fresh page an oversized group is broken where it must
        assert_eq!(
            paginate(&heights, &[true, false, false, false], 25.0, 25.0),
            vec![0..2, 2..4]
        );
    }

    #[test]
    fn paginate_keeps_totals_with_the_rows_above() {
        // parts 1..=3 and the line total 4 do not break; 5 is the table total
        let heights = [10.0; 6];
        let breaks = [true, true, false, false, false, false];
        assert_eq!(paginate(&heights, &breaks, 45.0, 100.0), vec![0..1, 1..6]);
    }
}
