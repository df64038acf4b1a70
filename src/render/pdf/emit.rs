//! Emit: draws the laid-out pages with krilla, adds the page header and footer as artifacts,
//! and assembles the tag tree, the outline and the metadata of a PDF/UA-1 document.

use std::num::NonZeroU16;

use krilla::Document;
use krilla::SerializeSettings;
use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder, ValidationError, Validator};
use krilla::destination::XyzDestination;
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, Node, SpanTag, TagGroup, TagTree,
};

use super::PdfError;
use super::fonts::{Fonts, OBLIQUE_SLANT, Style};
use super::layout::{Furniture, Geometry, LEFT, Op, OutlineEntry, Page, Rgb, TagNode, colors};
use crate::model::Date;

/// The document's language.
pub(super) const LANGUAGE: &str = "nl-NL";

/// What the page furniture and the metadata say.
pub(super) struct DocumentInfo<'t> {
    /// Title (metadata).
    pub title: &'t str,
    /// The left side of the page header (the title as drawn).
    pub header_left: String,
    /// The right side of the page header.
    pub header_right: String,
    /// The left side of the page footer.
    pub footer_left: String,
    /// Creation date.
    pub date: Date,
    /// Creator (program and version).
    pub creator: String,
    /// Subject.
    pub subject: String,
    /// Author (the publisher).
    pub author: &'t str,
}

/// The laid-out document.
pub(super) struct Laid {
    /// The pages: orientation and ops.
    pub pages: Vec<Page>,
    /// The logical structure.
    pub tree: Vec<TagNode>,
    /// Headings for the outline.
    pub outline: Vec<OutlineEntry>,
    /// Number of slots handed out.
    pub slots: usize,
}

fn fill(color: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::default(),
    }
}

fn draw_text(
    surface: &mut Surface,
    fonts: &Fonts,
    (x, y): (f32, f32),
    style: Style,
    size: f32,
    color: Rgb,
    text: &str,
) {
    surface.set_fill(Some(fill(color)));
    let slanted = fonts.slanted(style);
    if slanted {
        // x' = x + slant * (baseline - y): a synthetic oblique around the baseline
        surface.push_transform(&Transform::from_row(
            1.0,
            0.0,
            -OBLIQUE_SLANT,
            1.0,
            OBLIQUE_SLANT * y,
            0.0,
        ));
    }
    // shaped once per distinct text (as `draw_text` would shape it, left to right)
    let glyphs = fonts.glyphs(style, text);
    surface.draw_glyphs(
        Point::from_xy(x, y),
        &glyphs,
        fonts.font(style),
        text,
        size,
        false,
    );
    if slanted {
        surface.pop();
    }
}

fn draw_rect(surface: &mut Surface, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
    let Some(rect) = Rect::from_xywh(x, y, w, h) else {
        return;
    };
    let mut builder = PathBuilder::new();
    builder.push_rect(rect);
    if let Some(path) = builder.finish() {
        surface.set_fill(Some(fill(color)));
        surface.draw_path(&path);
    }
}

/// Header (title left, `header_right` right, a rule) and footer (`Pagina X van Y`), on a page
/// of `geometry`.
fn furniture(
    surface: &mut Surface,
    fonts: &Fonts,
    info: &DocumentInfo,
    geometry: Geometry,
    (page, pages): (usize, usize),
) {
    let size = 8.0;
    let right = geometry.right;
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Header,
    )));
    draw_text(
        surface,
        fonts,
        (LEFT, 44.0),
        Style::Bold,
        size,
        colors::HEADING,
        &info.header_left,
    );
    let w = fonts.width(Style::Regular, size, &info.header_right);
    draw_text(
        surface,
        fonts,
        (right - w, 44.0),
        Style::Regular,
        size,
        colors::MUTED,
        &info.header_right,
    );
    draw_rect(surface, LEFT, 50.0, right - LEFT, 0.6, colors::RULE);
    surface.end_tagged();

    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Footer,
    )));
    let y = geometry.height - 36.0;
    draw_rect(surface, LEFT, y - 12.0, right - LEFT, 0.4, colors::HAIRLINE);
    draw_text(
        surface,
        fonts,
        (LEFT, y),
        Style::Regular,
        size,
        colors::MUTED,
        &info.footer_left,
    );
    let text = format!("Pagina {} van {}", page + 1, pages);
    let w = fonts.width(Style::Regular, size, &text);
    draw_text(
        surface,
        fonts,
        (right - w, y),
        Style::Regular,
        size,
        colors::MUTED,
        &text,
    );
    surface.end_tagged();
}

/// The krilla nodes of `node`, taking its tags and its slots' identifiers (each slot stands
/// once in the tree).
fn to_node(node: TagNode, ids: &mut [Vec<Identifier>], out: &mut Vec<Node>) {
    match node {
        TagNode::Slot(slot) => {
            if let Some(list) = ids.get_mut(slot) {
                out.extend(std::mem::take(list).into_iter().map(Node::Leaf));
            }
        }
        TagNode::Group(tag, children) => {
            let mut nodes = Vec::with_capacity(children.len());
            for child in children {
                to_node(child, ids, &mut nodes);
            }
            out.push(Node::Group(TagGroup::with_children(tag, nodes)));
        }
    }
}

fn outline(entries: &[OutlineEntry]) -> Outline {
    let mut outline = Outline::new();
    let mut chapter: Option<OutlineNode> = None;
    for entry in entries {
        let node = OutlineNode::new(
            entry.title.clone(),
            XyzDestination::new(entry.page, Point::from_xy(LEFT, entry.y)),
        );
        if entry.level <= 1 {
            if let Some(done) = chapter.take() {
                outline.push_child(done);
            }
            chapter = Some(node.with_open(true));
        } else if let Some(open) = chapter.as_mut() {
            open.push_child(node);
        } else {
            outline.push_child(node);
        }
    }
    if let Some(done) = chapter {
        outline.push_child(done);
    }
    outline
}

/// Dutch words for a krilla failure.
fn explain(error: KrillaError) -> PdfError {
    match error {
        KrillaError::Validation(errors) => {
            let reasons: Vec<String> = errors
                .iter()
                .map(|(e, _)| match e {
                    ValidationError::ContainsNotDefGlyph(_, _, text) => {
                        format!("het lettertype mist een teken in \u{201c}{text}\u{201d}")
                    }
                    ValidationError::RestrictedLicense(_) => {
                        "de licentie van het lettertype staat insluiten niet toe".to_string()
                    }
                    other => format!("{other:?}"),
                })
                .collect();
            PdfError::Accessibility(reasons.join("; "))
        }
        KrillaError::Font(_, reason) => PdfError::Font {
            which: "ingesloten",
            reason,
        },
        other => PdfError::Write(other.to_string()),
    }
}

/// Draws the pages and writes the PDF. Each page's display list is let go of once it is
/// drawn, and the tag tree is moved into krilla's, so the laid-out document and krilla's
/// copy of it are not both held in full.
///
/// # Errors
/// [`PdfError`] when krilla refuses the document (PDF/UA-1 validation, fonts, limits).
pub(super) fn emit(laid: Laid, fonts: &Fonts, info: &DocumentInfo) -> Result<Vec<u8>, PdfError> {
    let configuration = ConfigurationBuilder::new()
        .set_validator(Validator::Ua(Accessibility::UA1))
        .finish()
        .map_err(|e| PdfError::Write(format!("{e:?}")))?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let mut ids: Vec<Vec<Identifier>> = vec![Vec::new(); laid.slots];
    let count = laid.pages.len();
    for (index, laid_page) in laid.pages.into_iter().enumerate() {
        draw_page(
            &mut document,
            laid_page,
            fonts,
            info,
            (index, count),
            &mut ids,
        )?;
    }

    let mut tree = TagTree::new().with_lang(Some(LANGUAGE.to_string()));
    let mut nodes = Vec::new();
    for node in laid.tree {
        to_node(node, &mut ids, &mut nodes);
        for child in nodes.drain(..) {
            tree.push(child);
        }
    }
    document.set_tag_tree(tree);
    document.set_outline(outline(&laid.outline));
    document.set_metadata(metadata(info));
    document.finish().map_err(explain)
}

/// Draws one laid-out page: its furniture, then its operations, each tagged span's
/// identifier recorded in `ids` under its slot of the tag tree.
fn draw_page(
    document: &mut Document,
    laid_page: Page,
    fonts: &Fonts,
    info: &DocumentInfo,
    (index, count): (usize, usize),
    ids: &mut [Vec<Identifier>],
) -> Result<(), PdfError> {
    let geometry = laid_page.orientation.geometry();
    let settings = PageSettings::from_wh(geometry.width, geometry.height)
        .ok_or(PdfError::Write("ongeldig paginaformaat".to_string()))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    furniture(&mut surface, fonts, info, geometry, (index, count));
    let mut open: Option<usize> = None;
    for op in laid_page.ops {
        match op {
            Op::Text {
                x,
                y,
                style,
                size,
                color,
                text,
            } => {
                draw_text(&mut surface, fonts, (x, y), style, size, color, &text);
            }
            Op::Rect { x, y, w, h, color } => draw_rect(&mut surface, x, y, w, h, color),
            Op::Tagged(slot) => {
                if open.take().is_some() {
                    surface.end_tagged();
                }
                let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
                if let Some(list) = ids.get_mut(slot) {
                    list.push(id);
                }
                open = Some(slot);
            }
            Op::Artifact(kind) => {
                let kind = match kind {
                    Furniture::Layout => ArtifactType::Layout,
                    Furniture::Pagination => ArtifactType::PaginationOther,
                };
                if open.take().is_some() {
                    surface.end_tagged();
                }
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
                open = Some(usize::MAX);
            }
            Op::End => {
                if open.take().is_some() {
                    surface.end_tagged();
                }
            }
        }
    }
    if open.is_some() {
        surface.end_tagged();
    }
    surface.finish();
    page.finish();
    Ok(())
}

/// The document's metadata: title, language, author, creator, subject, and the creation
/// date taken from the peildatum (never the clock), so runs are byte-identical.
fn metadata(info: &DocumentInfo) -> Metadata {
    let date = info.date;
    let creation = DateTime::new(u16::try_from(date.year).unwrap_or(2000))
        .month(u8::try_from(date.month).unwrap_or(1))
        .day(u8::try_from(date.day).unwrap_or(1))
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    Metadata::new()
        .title(info.title.to_string())
        .language(LANGUAGE.to_string())
        .authors(vec![info.author.to_string()])
        .creator(info.creator.clone())
        .description(info.subject.clone())
        .creation_date(creation)
        .document_id(info.title.to_string())
}

/// A heading tag with its level and title (PDF/UA requires the title).
pub(super) fn heading_tag(level: u16, title: &str) -> krilla::tagging::TagKind {
    let level = NonZeroU16::new(level).unwrap_or(NonZeroU16::MIN);
    krilla::tagging::Tag::Hn(level, Some(title.to_string())).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::PdfOptions;

    /// A one-page document with `texts` drawn one below the other, by `draw`.
    fn document(draw: impl Fn(&mut Surface, Point, &str)) -> Vec<u8> {
        let texts = [
            "€ 1.537.933,56",
            "123",
            "Kansen4Kinderen (6a)",
            "Verplicht ’22 en ‘23",
            "fi ffl — Œuvre ĳ",
            "مرحبا بالعالم",
            "中文",
            "",
        ];
        let mut document = Document::new();
        let mut page = document.start_page_with(PageSettings::from_wh(200.0, 200.0).unwrap());
        let mut surface = page.surface();
        for (i, text) in texts.iter().enumerate() {
            draw(
                &mut surface,
                Point::from_xy(10.0, 20.0 + 20.0 * i as f32),
                text,
            );
        }
        surface.finish();
        page.finish();
        document.finish().unwrap()
    }

    #[test]
    fn pre_shaped_glyphs_draw_the_same_pdf_as_draw_text() {
        let options = PdfOptions::default();
        let fonts = Fonts::load(&options).unwrap();
        for style in [Style::Regular, Style::Bold, Style::Italic] {
            let krilla = document(|surface, at, text| {
                surface.draw_text(
                    at,
                    fonts.font(style),
                    9.0,
                    text,
                    false,
                    krilla::text::TextDirection::LeftToRight,
                );
            });
            let ours = document(|surface, at, text| {
                let glyphs = fonts.glyphs(style, text);
                surface.draw_glyphs(at, &glyphs, fonts.font(style), text, 9.0, false);
            });
            assert!(krilla == ours, "{style:?}: the PDFs differ");
            // as the layout does it: measured first, the glyphs kept from that shaping
            // (a right-to-left text is measured as such and drawn left to right)
            let fresh = Fonts::load(&options).unwrap();
            let measured = document(|surface, at, text| {
                let width = fresh.width(style, 9.0, text);
                let glyphs = fresh.glyphs(style, text);
                if !text.contains('\u{0645}') {
                    let drawn: f32 = glyphs
                        .iter()
                        .map(|g| krilla::text::Glyph::x_advance(g, 9.0))
                        .sum();
                    assert!((drawn - width).abs() < 1e-3, "{text}: {drawn} {width}");
                }
                surface.draw_glyphs(at, &glyphs, fresh.font(style), text, 9.0, false);
            });
            assert!(
                krilla == measured,
                "{style:?}: measured first, the PDFs differ"
            );
        }
    }
}
