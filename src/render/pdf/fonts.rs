//! Fonts: the compiled-in Liberation Sans (or a house-style TTF from [`PdfOptions`]), loaded
//! once for krilla (drawing, embedding as subsets) and for rustybuzz (measuring).
//!
//! Measuring uses the same shaper as krilla's `draw_text` (rustybuzz with the font's default
//! features), so a width measured here is the width drawn.

use std::cell::{Cell, OnceCell, RefCell};
use std::ops::Range;
use std::rc::Rc;

use krilla::surface::Location;
use krilla::text::{Font, Glyph, GlyphId};
use rustc_hash::FxHashMap;

use super::{PdfError, PdfOptions};

/// Liberation Sans Regular (SIL Open Font License; see `assets/fonts/`).
const LIBERATION_REGULAR: &[u8] =
    include_bytes!("../../../assets/fonts/LiberationSans-Regular.ttf");
/// Liberation Sans Bold.
const LIBERATION_BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Bold.ttf");
/// Liberation Sans Italic: used for notes and remarks while the regular face is the default.
const LIBERATION_ITALIC: &[u8] = include_bytes!("../../../assets/fonts/LiberationSans-Italic.ttf");

/// The horizontal slant of a synthetic oblique (tan 12°), used for italic text when a house
/// style replaces the regular face and no matching italic is known.
pub(super) const OBLIQUE_SLANT: f32 = 0.2126;

/// A text style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Style {
    /// Body text.
    Regular,
    /// Headings, totals, table headers.
    Bold,
    /// Notes and remarks.
    Italic,
}

/// One shaped glyph, as krilla's `draw_text` would make it (its `naive_shape`): advances and
/// offsets in ems, the byte range of its cluster in the text. Smaller than krilla's
/// `KrillaGlyph` (no location), as a shaped text is kept for the whole document.
#[derive(Clone, Debug)]
pub(super) struct Shaped {
    id: u32,
    start: u32,
    end: u32,
    x_advance: f32,
    x_offset: f32,
    y_offset: f32,
    y_advance: f32,
}

impl Glyph for Shaped {
    fn glyph_id(&self) -> GlyphId {
        GlyphId::new(self.id)
    }

    fn text_range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    fn x_advance(&self, size: f32) -> f32 {
        self.x_advance * size
    }

    fn x_offset(&self, size: f32) -> f32 {
        self.x_offset * size
    }

    fn y_offset(&self, size: f32) -> f32 {
        self.y_offset * size
    }

    fn y_advance(&self, size: f32) -> f32 {
        self.y_advance * size
    }

    fn location(&self) -> Option<Location> {
        None
    }
}

/// A shape plan with the buffer properties it was made for.
struct Plan {
    direction: rustybuzz::Direction,
    script: Option<rustybuzz::Script>,
    language: Option<rustybuzz::Language>,
    plan: rustybuzz::ShapePlan,
}

/// One loaded face: krilla's font for drawing and rustybuzz's face for measuring.
struct Face<'a> {
    font: Font,
    shaper: rustybuzz::Face<'a>,
    /// The shape plans made so far: `rustybuzz::shape` makes a new plan at every call
    /// (most of its time for a short text); a plan depends only on the face, the buffer's
    /// direction, script and language, and the features (none here), so one is made per
    /// combination and reused.
    plans: RefCell<Vec<Plan>>,
    /// Whether figures may be composed from pairs ([`Figures`]): only for the compiled-in
    /// faces, whose shaping of figures the tests compare with rustybuzz's.
    composable: bool,
    /// The face's figures, for composing amounts; made at the first amount (`None` when the
    /// face shapes them in a way pairs do not describe).
    figures: OnceCell<Option<Figures>>,
}

impl<'a> Face<'a> {
    fn load(
        bytes: &'a [u8],
        data: krilla::Data,
        which: &'static str,
    ) -> Result<Face<'a>, PdfError> {
        let shaper = rustybuzz::Face::from_slice(bytes, 0).ok_or(PdfError::Font {
            which,
            reason: "geen geldig TrueType- of OpenType-lettertype".to_string(),
        })?;
        if shaper.units_per_em() <= 0 {
            return Err(PdfError::Font {
                which,
                reason: "ongeldige units-per-em".to_string(),
            });
        }
        let font = Font::new(data, 0).ok_or(PdfError::Font {
            which,
            reason: "het lettertype kan niet worden ingelezen voor insluiting".to_string(),
        })?;
        Ok(Face {
            font,
            shaper,
            plans: RefCell::new(Vec::new()),
            composable: false,
            figures: OnceCell::new(),
        })
    }

    /// The face with amounts composed from pairs of figures (see [`Figures`]).
    fn composing_figures(mut self) -> Face<'a> {
        self.composable = true;
        self
    }

    /// Shapes `buffer` (its segment properties guessed or set) as `rustybuzz::shape` does,
    /// with a plan made once per direction, script and language.
    fn run(&self, buffer: rustybuzz::UnicodeBuffer) -> rustybuzz::GlyphBuffer {
        let direction = buffer.direction();
        // `script()` reports a buffer without a script (only digits, say) as UNKNOWN; the
        // guess never sets UNKNOWN itself, and `shape` plans such a buffer with no script
        let script = Some(buffer.script()).filter(|s| *s != rustybuzz::script::UNKNOWN);
        let language = buffer.language();
        let mut plans = self.plans.borrow_mut();
        let known = plans
            .iter()
            .position(|p| p.direction == direction && p.script == script && p.language == language);
        let index = match known {
            Some(index) => index,
            None => {
                let plan = rustybuzz::ShapePlan::new(
                    &self.shaper,
                    direction,
                    script,
                    language.as_ref(),
                    &[],
                );
                plans.push(Plan {
                    direction,
                    script,
                    language,
                    plan,
                });
                plans.len() - 1
            }
        };
        match plans.get(index) {
            Some(plan) => rustybuzz::shape_with_plan(&self.shaper, &plan.plan, buffer),
            None => rustybuzz::shape(&self.shaper, &[], buffer),
        }
    }

    /// `text` shaped once for both uses: its advance width in font units (as measured, the
    /// direction guessed) and, when the guess is left to right, its glyphs for drawing (the
    /// same shaping [`Face::shape`] does, as setting left to right changes nothing then). A
    /// right-to-left text is drawn left to right, so its glyphs are shaped apart.
    fn measure(&self, text: &str) -> Measured {
        if text.is_empty() {
            return Measured {
                units: 0,
                glyphs: Some(Rc::from(Vec::new())),
            };
        }
        if self.composable
            && let Some(figures) = self.figures.get_or_init(|| Figures::of(self))
            && let Some(measured) = figures.compose(text, self.font.units_per_em())
        {
            return measured;
        }
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let left_to_right = buffer.direction() == rustybuzz::Direction::LeftToRight;
        let output = self.run(buffer);
        let units = output
            .glyph_positions()
            .iter()
            .map(|p| i64::from(p.x_advance))
            .sum();
        let glyphs = left_to_right.then(|| self.glyphs_of(text, &output).into());
        Measured { units, glyphs }
    }

    /// The width at `size` points of `units` font units.
    fn width(&self, units: i64, size: f32) -> f32 {
        // units fit in f32 exactly for any realistic line of text
        units as f32 / self.shaper.units_per_em() as f32 * size
    }

    /// `text` shaped left to right, exactly as krilla's `draw_text` shapes it (the same
    /// rustybuzz, face, buffer settings and conversion to ems), so drawing these glyphs
    /// writes the same PDF as drawing the text.
    fn shape(&self, text: &str) -> Vec<Shaped> {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        let output = self.run(buffer);
        self.glyphs_of(text, &output)
    }

    /// The glyphs of shaped `text` as krilla's `draw_text` converts them (to ems).
    fn glyphs_of(&self, text: &str, output: &rustybuzz::GlyphBuffer) -> Vec<Shaped> {
        let upem = self.font.units_per_em();
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            // the cluster ends where the next glyph of another cluster starts
            let end = infos
                .iter()
                .skip(i + 1)
                .find(|next| next.cluster != info.cluster)
                .map_or(text.len(), |next| next.cluster as usize);
            glyphs.push(Shaped {
                id: info.glyph_id,
                start: info.cluster,
                end: u32::try_from(end).unwrap_or(u32::MAX),
                x_advance: pos.x_advance as f32 / upem,
                x_offset: pos.x_offset as f32 / upem,
                y_offset: pos.y_offset as f32 / upem,
                y_advance: pos.y_advance as f32 / upem,
            });
        }
        glyphs
    }
}

/// The characters amounts are written in (figures, separators, signs, the euro sign).
const FIGURE_CHARS: &str = "0123456789.,-\u{2212}\u{20ac} ()%+";

/// Amounts composed instead of shaped: a table of 100.000 lines prints tens of thousands of
/// distinct amounts, and shaping each costs more than all the rest of its layout. In the
/// compiled-in faces a text of [`FIGURE_CHARS`] shapes to one glyph per character, placed by
/// its own advance and by what the pair it forms with each neighbour adds (kerning, as in
/// `11`, which the shaper splits over both glyphs); so each character and each pair is
/// shaped once, and an amount is put together from them, glyph for glyph what shaping it
/// gives (a test compares them).
struct Figures {
    /// Per character of [`FIGURE_CHARS`]: its glyph and advance (font units) on its own.
    single: Vec<(u32, i32)>,
    /// Per pair (first × count + second), in font units: what the pair adds to the first
    /// glyph's advance, to the second's advance, and to the second's x offset.
    pair: Vec<(i32, i32, i32)>,
}

impl Figures {
    /// Shapes every character and pair of [`FIGURE_CHARS`]; `None` when a character or a
    /// pair does not shape to one glyph per character (a ligature, a mark) or moves a glyph
    /// otherwise than along the line.
    fn of(face: &Face) -> Option<Figures> {
        let chars: Vec<char> = FIGURE_CHARS.chars().collect();
        let mut single = Vec::with_capacity(chars.len());
        for &c in &chars {
            let output = face.run(Figures::buffer(&c.to_string()));
            let ([info], [pos]) = (output.glyph_infos(), output.glyph_positions()) else {
                return None;
            };
            if pos.x_offset != 0 || pos.y_offset != 0 || pos.y_advance != 0 {
                return None;
            }
            single.push((info.glyph_id, pos.x_advance));
        }
        let mut pair = Vec::with_capacity(chars.len() * chars.len());
        for (a, &first) in chars.iter().enumerate() {
            for (b, &second) in chars.iter().enumerate() {
                let text: String = [first, second].iter().collect();
                let output = face.run(Figures::buffer(&text));
                let ([i0, i1], [p0, p1]) = (output.glyph_infos(), output.glyph_positions()) else {
                    return None;
                };
                let (&(g0, a0), &(g1, a1)) = (single.get(a)?, single.get(b)?);
                let along = [
                    p0.x_offset,
                    p0.y_offset,
                    p0.y_advance,
                    p1.y_offset,
                    p1.y_advance,
                ]
                .iter()
                .all(|v| *v == 0);
                let clusters = i0.cluster == 0 && i1.cluster as usize == first.len_utf8();
                if !along || !clusters || i0.glyph_id != g0 || i1.glyph_id != g1 {
                    return None;
                }
                pair.push((p0.x_advance - a0, p1.x_advance - a1, p1.x_offset));
            }
        }
        Some(Figures { single, pair })
    }

    /// A buffer of `text` as [`Face::measure`] shapes it.
    fn buffer(text: &str) -> rustybuzz::UnicodeBuffer {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer
    }

    /// `text` measured and shaped from the table, when it is written in [`FIGURE_CHARS`]
    /// only (`upem` as krilla converts to ems).
    fn compose(&self, text: &str, upem: f32) -> Option<Measured> {
        let index = |c: char| FIGURE_CHARS.chars().position(|f| f == c);
        let chars: Vec<(usize, usize)> = text
            .char_indices()
            .map(|(at, c)| index(c).map(|i| (at, i)))
            .collect::<Option<_>>()?;
        let count = self.single.len();
        let pair = |first: usize, second: usize| self.pair.get(first * count + second).copied();
        let mut units: i64 = 0;
        let mut glyphs = Vec::with_capacity(chars.len());
        for (k, &(at, i)) in chars.iter().enumerate() {
            let &(id, alone) = self.single.get(i)?;
            let (mut advance, mut offset) = (alone, 0);
            if let Some(&(_, before)) = k.checked_sub(1).and_then(|p| chars.get(p)) {
                let (_, second_advance, second_offset) = pair(before, i)?;
                advance += second_advance;
                offset += second_offset;
            }
            let next = chars.get(k + 1);
            if let Some(&(_, after)) = next {
                advance += pair(i, after)?.0;
            }
            let end = next.map_or(text.len(), |&(end, _)| end);
            units += i64::from(advance);
            glyphs.push(Shaped {
                id,
                start: u32::try_from(at).ok()?,
                end: u32::try_from(end).ok()?,
                x_advance: advance as f32 / upem,
                x_offset: offset as f32 / upem,
                y_offset: 0.0,
                y_advance: 0.0,
            });
        }
        Some(Measured {
            units,
            glyphs: Some(glyphs.into()),
        })
    }
}

/// A text shaped in one style: its advance width in font units and its glyphs for drawing
/// (`None` until needed for a right-to-left text, which is measured and drawn differently).
struct Measured {
    units: i64,
    glyphs: Option<Rc<[Shaped]>>,
}

/// Shaped texts by text, for one style. Every text of the document is looked up here at
/// least twice (measured, drawn): Fx hashing, not SipHash (these keys are the workbook's
/// own texts, not an attacker's choice of collisions for a server).
type ShapedTexts = FxHashMap<String, Measured>;

/// The three faces the document uses.
pub(super) struct Fonts<'a> {
    regular: Face<'a>,
    bold: Face<'a>,
    /// `None` when a house style replaces the regular face: italic is then the regular face,
    /// slanted.
    italic: Option<Face<'a>>,
    /// Texts shaped so far, by style and text: their widths in font units and their glyphs.
    /// A table of 100.000 lines repeats the same figures, headers and labels, is measured at
    /// several sizes to find one that fits, and draws every text it measured; shaping does
    /// not depend on the size, so each distinct text is shaped once per style, for measuring
    /// and drawing alike (krilla's `draw_text` would shape it at every drawing, and parse the
    /// face each time).
    shaped: RefCell<[ShapedTexts; 3]>,
    /// How many texts were shaped (measured or for drawing), for the tests.
    shapings: Cell<usize>,
}

impl<'a> Fonts<'a> {
    /// Loads the faces: the options' TTFs where given, else Liberation Sans.
    ///
    /// # Errors
    /// [`PdfError::Font`] when a given TTF cannot be read by the shaper or by krilla.
    pub(super) fn load(options: &'a PdfOptions) -> Result<Fonts<'a>, PdfError> {
        let regular = match &options.font_regular {
            Some(bytes) => Face::load(bytes, bytes.clone().into(), "regular")?,
            None => Face::load(LIBERATION_REGULAR, LIBERATION_REGULAR.into(), "regular")?
                .composing_figures(),
        };
        let bold = match &options.font_bold {
            Some(bytes) => Face::load(bytes, bytes.clone().into(), "vet")?,
            None => Face::load(LIBERATION_BOLD, LIBERATION_BOLD.into(), "vet")?.composing_figures(),
        };
        let italic = match &options.font_regular {
            Some(_) => None,
            None => Some(Face::load(
                LIBERATION_ITALIC,
                LIBERATION_ITALIC.into(),
                "cursief",
            )?),
        };
        Ok(Fonts {
            regular,
            bold,
            italic,
            shaped: RefCell::new(Default::default()),
            shapings: Cell::new(0),
        })
    }

    /// The slot of `style` in [`Fonts::shaped`].
    fn slot(style: Style) -> usize {
        match style {
            Style::Regular => 0,
            Style::Bold => 1,
            Style::Italic => 2,
        }
    }

    fn face(&self, style: Style) -> &Face<'a> {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
            Style::Italic => self.italic.as_ref().unwrap_or(&self.regular),
        }
    }

    /// The krilla font for a style.
    pub(super) fn font(&self, style: Style) -> Font {
        self.face(style).font.clone()
    }

    /// Whether text in `style` must be slanted by [`OBLIQUE_SLANT`] when drawn.
    pub(super) fn slanted(&self, style: Style) -> bool {
        style == Style::Italic && self.italic.is_none()
    }

    /// The width of `text` in `style` at `size` points.
    pub(super) fn width(&self, style: Style, size: f32, text: &str) -> f32 {
        let face = self.face(style);
        if let Some(known) = self
            .shaped
            .borrow()
            .get(Self::slot(style))
            .and_then(|m| m.get(text))
        {
            return face.width(known.units, size);
        }
        let measured = face.measure(text);
        self.shapings.set(self.shapings.get() + 1);
        let units = measured.units;
        self.store(style, text, measured);
        face.width(units, size)
    }

    /// `text` in `style` shaped for drawing (see [`Shaped`]), shaped once per style (and
    /// usually already when it was measured).
    pub(super) fn glyphs(&self, style: Style, text: &str) -> Rc<[Shaped]> {
        let face = self.face(style);
        let known = self.shaped.borrow().get(Self::slot(style)).and_then(|m| {
            m.get(text)
                .map(|known| (known.units, known.glyphs.as_ref().map(Rc::clone)))
        });
        let units = match known {
            Some((_, Some(glyphs))) => return glyphs,
            Some((units, None)) => units,
            None => {
                let measured = face.measure(text);
                self.shapings.set(self.shapings.get() + 1);
                let units = measured.units;
                if let Some(glyphs) = measured.glyphs.as_ref().map(Rc::clone) {
                    self.store(style, text, measured);
                    return glyphs;
                }
                units
            }
        };
        // a right-to-left text: drawn left to right, so shaped apart
        let glyphs: Rc<[Shaped]> = face.shape(text).into();
        self.shapings.set(self.shapings.get() + 1);
        let measured = Measured {
            units,
            glyphs: Some(Rc::clone(&glyphs)),
        };
        self.store(style, text, measured);
        glyphs
    }

    fn store(&self, style: Style, text: &str, measured: Measured) {
        if let Some(texts) = self.shaped.borrow_mut().get_mut(Self::slot(style)) {
            texts.insert(text.to_string(), measured);
        }
    }

    /// Whether the face of `style` has a glyph for `c`.
    pub(super) fn has(&self, style: Style, c: char) -> bool {
        self.face(style).shaper.glyph_index(c).is_some()
    }

    /// Whether every face has a glyph for `c` (text may be drawn in any style).
    pub(super) fn covers(&self, c: char) -> bool {
        [Style::Regular, Style::Bold, Style::Italic]
            .into_iter()
            .all(|style| self.has(style, c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_faces_load_and_measure() {
        let options = PdfOptions::default();
        let fonts = Fonts::load(&options).unwrap();
        let w = fonts.width(Style::Regular, 10.0, "€ 1.537.933,56");
        assert!(w > 50.0 && w < 80.0, "{w}");
        // bold is wider than regular
        assert!(
            fonts.width(Style::Bold, 10.0, "Totaal") > fonts.width(Style::Regular, 10.0, "Totaal")
        );
        // widths add up: shaping a digit string is linear in tabular figures
        let one = fonts.width(Style::Regular, 10.0, "0");
        let ten = fonts.width(Style::Regular, 10.0, "0000000000");
        assert!((ten - 10.0 * one).abs() < 0.01);
        assert!(!fonts.slanted(Style::Italic));
    }

    #[test]
    fn each_distinct_text_is_shaped_once_per_style_at_any_size() {
        let options = PdfOptions::default();
        let fonts = Fonts::load(&options).unwrap();
        let sizes = [9.0, 8.0, 7.5, 7.0];
        for _ in 0..1_000 {
            for size in sizes {
                fonts.width(Style::Regular, size, "€ 1.537.933,56");
                fonts.width(Style::Bold, size, "Totaal");
            }
            fonts.glyphs(Style::Regular, "€ 1.537.933,56");
            fonts.glyphs(Style::Bold, "Totaal");
        }
        // two texts, each shaped once for measuring and drawing alike
        assert_eq!(fonts.shapings.get(), 2);
        // the width at a size is the width at another size, scaled
        let nine = fonts.width(Style::Regular, 9.0, "€ 1.537.933,56");
        let seven = fonts.width(Style::Regular, 7.0, "€ 1.537.933,56");
        assert!((nine / 9.0 - seven / 7.0).abs() < 1e-4, "{nine} {seven}");
        // the drawn glyphs advance as far as the measured width
        let glyphs = fonts.glyphs(Style::Regular, "€ 1.537.933,56");
        let drawn: f32 = glyphs.iter().map(|g| g.x_advance(9.0)).sum();
        assert!((drawn - nine).abs() < 1e-3, "{drawn} {nine}");
    }

    #[test]
    fn amounts_composed_from_pairs_are_the_amounts_shaped() {
        let options = PdfOptions::default();
        let fonts = Fonts::load(&options).unwrap();
        let chars: Vec<char> = FIGURE_CHARS.chars().collect();
        let mut texts: Vec<String> = [
            "€ 1.537.933,56",
            "-111.111,11",
            "\u{2212}€ 11.111.111",
            "(11)",
            "100%",
            "+ 1,1",
            "1",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for &a in &chars {
            for &b in &chars {
                for &c in &chars {
                    texts.push([a, b, c].iter().collect());
                }
            }
        }
        for style in [Style::Regular, Style::Bold] {
            let face = fonts.face(style);
            let figures = Figures::of(face).expect("figures composable in Liberation Sans");
            for text in &texts {
                let composed = figures.compose(text, face.font.units_per_em()).unwrap();
                let output = face.run(Figures::buffer(text));
                let units: i64 = output
                    .glyph_positions()
                    .iter()
                    .map(|p| i64::from(p.x_advance))
                    .sum();
                assert_eq!(composed.units, units, "{style:?} {text:?}");
                assert_eq!(
                    format!("{:?}", composed.glyphs.unwrap()),
                    format!("{:?}", face.glyphs_of(text, &output)),
                    "{style:?} {text:?}"
                );
            }
            // a text with any other character is shaped
            assert!(figures.compose("€ 1,5 mln", 1000.0).is_none());
        }
    }

    #[test]
    fn a_broken_font_is_a_dutch_error() {
        let options = PdfOptions {
            font_regular: Some(b"geen lettertype".to_vec()),
            font_bold: None,
        };
        let err = Fonts::load(&options).err().unwrap();
        let message = err.to_string();
        assert!(message.contains("lettertype"), "{message}");
        assert!(message.contains("regular"), "{message}");
    }
}
