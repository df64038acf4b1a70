//! The PDF renderer: the appendix as an accessible (PDF/UA-1) A4 document for the
//! Provinciale Staten.
//!
//! [`render`] lays the appendix out into pages (`layout`, `document`, `tables`, `chart`), then
//! draws them with krilla (`emit`) with its PDF/UA-1 validator on: headings H1/H2, tagged
//! tables with header cells, footnotes as Note, charts as Figure with alt text, page header
//! and footer as artifacts, an outline, title and language `nl-NL`. The creation date is the
//! peildatum, so identical input gives byte-identical output.
//!
//! A table too wide for a portrait page is set smaller and, if need be, on landscape pages
//! (`tables`); a row taller than a page continues on the next. Characters the fonts lack are
//! replaced by a visible substitute (`glyphs`), never an error; [`font_findings`] reports them
//! beforehand as findings, each at the place its text came from (`coverage`).

mod chart;
mod coverage;
mod document;
mod emit;
mod fonts;
mod glyphs;
mod layout;
mod tables;

use crate::model::{Finding, Place, Werkplan};
use crate::render::Appendix;

/// Options for the PDF: the fonts. `Default` uses the compiled-in Liberation Sans.
#[derive(Clone, Debug, Default)]
pub struct PdfOptions {
    /// A TrueType/OpenType font for body text, replacing Liberation Sans Regular. Italic text
    /// is then drawn as this face, slanted.
    pub font_regular: Option<Vec<u8>>,
    /// A TrueType/OpenType font for bold text, replacing Liberation Sans Bold.
    pub font_bold: Option<Vec<u8>>,
}

/// Where the appendix's texts that no spreadsheet cell holds came from, for
/// [`font_findings`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextSources {
    /// The template of the chapter text (`financien.hbs`, or the replacement's path).
    pub intro: Place,
    /// The template of the Controle section (`controle.hbs`, or the replacement's path).
    pub controle: Place,
    /// The fonts, for the program's own characters and the document title.
    pub font: Place,
}

/// The texts of the appendix that hold characters the PDF's fonts lack, as warnings
/// ([`FindingKind::Lettertype`](crate::model::FindingKind)), one per text, each at the place
/// the text came from: the spreadsheet cell (from `werkplan`), else the template, the table's
/// sheet, the finding's place or the source file (`sources`). The renderer draws a substitute
/// for exactly these characters.
///
/// Font findings already in the appendix (from an earlier call) are not checked again, so the
/// appendix may be rebuilt with the findings and checked once more.
///
/// # Parameters
/// - `werkplan`: the model the appendix was built from; it knows the texts' cells.
/// - `appendix`: everything the document prints.
/// - `sources`: the places of the texts no cell holds.
/// - `options`: the fonts (`PdfOptions::default()` for Liberation Sans).
///
/// # Errors
/// [`PdfError::Font`] for a font that does not load.
///
/// # Examples
/// ```no_run
/// # fn demo(werkplan: &werkplan::model::Werkplan, appendix: &werkplan::render::Appendix,
/// #         sources: &werkplan::render::pdf::TextSources) -> Result<(), werkplan::render::pdf::PdfError> {
/// use werkplan::render::pdf::{font_findings, PdfOptions};
/// for finding in font_findings(werkplan, appendix, sources, &PdfOptions::default())? {
///     eprintln!("{finding}");
/// }
/// # Ok(()) }
/// ```
pub fn font_findings(
    werkplan: &Werkplan,
    appendix: &Appendix,
    sources: &TextSources,
    options: &PdfOptions,
) -> Result<Vec<Finding>, PdfError> {
    let fonts = fonts::Fonts::load(options)?;
    let mut coverage = coverage::Coverage::new(&fonts, &sources.font);
    coverage.werkplan(werkplan);
    coverage.appendix(appendix, werkplan, sources);
    Ok(coverage.into_findings())
}

/// Why the PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// A font that does not load.
    #[error("lettertype ({which}) kan niet worden geladen: {reason}")]
    Font {
        /// Which face: `regular`, `vet`, `cursief`.
        which: &'static str,
        /// Why.
        reason: String,
    },
    /// The document does not pass krilla's PDF/UA-1 validation (e.g. a house-style font
    /// without a glyph the text needs).
    #[error("de PDF voldoet niet aan PDF/UA-1: {0}")]
    Accessibility(String),
    /// krilla could not write the document.
    #[error("de PDF kan niet worden geschreven: {0}")]
    Write(String),
}

/// A rendered PDF and what the renderer had to change to draw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// Dutch warnings, one per distinct (text, character) the fonts lack, each naming the
    /// text and the substitute drawn instead; the application reports these characters as
    /// findings beforehand ([`font_findings`]) and does not print these (`teken ‘✓’ (U+2713) in ‘Levensloop bestendig
    /// wonen ✓’ staat niet in het lettertype en is in de PDF vervangen door ‘?’`).
    pub warnings: Vec<String>,
}

/// Renders the publication as a PDF: the chapter text, the tables and the charts, and with a
/// basis the section `Wijzigingen ten opzichte van ...` after them, with the computed figures
/// only; no finding, file name, cell or hash of the control.
///
/// Characters the fonts lack never stop the run: each is drawn as a substitute the fonts
/// have (U+FFFD, else `?`) and reported in [`Rendered::warnings`].
///
/// # Parameters
/// - `appendix`: everything the document prints.
/// - `options`: the fonts (`PdfOptions::default()` for Liberation Sans).
///
/// # Errors
/// [`PdfError::Font`] for a font that does not load, [`PdfError::Accessibility`] when the
/// document fails PDF/UA-1 validation, [`PdfError::Write`] when krilla cannot write it.
///
/// # Examples
/// ```no_run
/// # fn demo(appendix: &werkplan::render::Appendix) -> Result<(), werkplan::render::pdf::PdfError> {
/// use werkplan::render::pdf::{render, PdfOptions};
/// let rendered = render(appendix, &PdfOptions::default())?;
/// assert!(rendered.bytes.starts_with(b"%PDF-1.7"));
/// for warning in &rendered.warnings {
///     eprintln!("{warning}");
/// }
/// # Ok(()) }
/// ```
pub fn render(appendix: &Appendix, options: &PdfOptions) -> Result<Rendered, PdfError> {
    render_edition(appendix, options, Edition::Publication)
}

/// Renders the control report as a PDF, for the finance department: the Controle text,
/// every finding with stated, computed and difference at its place (file name in the input
/// folder, sheet, cell), and the sources with their SHA-256. PDF/UA-1 like the publication.
///
/// # Parameters
/// As [`render`].
///
/// # Errors
/// As [`render`].
///
/// # Examples
/// ```no_run
/// # fn demo(appendix: &werkplan::render::Appendix) -> Result<(), werkplan::render::pdf::PdfError> {
/// use werkplan::render::pdf::{render_control, PdfOptions};
/// let rendered = render_control(appendix, &PdfOptions::default())?;
/// assert!(rendered.bytes.starts_with(b"%PDF-1.7"));
/// # Ok(()) }
/// ```
pub fn render_control(appendix: &Appendix, options: &PdfOptions) -> Result<Rendered, PdfError> {
    render_edition(appendix, options, Edition::Control)
}

/// Which of the two documents.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edition {
    /// For Provinciale Staten.
    Publication,
    /// For the finance department.
    Control,
}

/// Lays out and draws one edition.
fn render_edition(
    appendix: &Appendix,
    options: &PdfOptions,
    edition: Edition,
) -> Result<Rendered, PdfError> {
    let fonts = fonts::Fonts::load(options)?;
    let mut glyphs = glyphs::Glyphs::new(&fonts);
    // the checked copy is laid out, then let go of before krilla builds the PDF
    let (mut laid, title, header_left) = match edition {
        Edition::Publication => {
            let checked = glyphs.publication(appendix);
            let laid = document::lay_out(&checked, &fonts);
            let header = glyphs.text(&checked.title, fonts::Style::Bold);
            (laid, &appendix.title, header)
        }
        Edition::Control => {
            let checked = glyphs.control(&appendix.control);
            let laid = document::lay_out_control(&checked, &fonts);
            let header = glyphs.text(&checked.title, fonts::Style::Bold);
            (laid, &appendix.control.title, header)
        }
    };
    glyphs.pages(&mut laid.pages);
    let info = emit::DocumentInfo {
        title,
        header_left,
        header_right: glyphs.text(
            &format!("Peildatum {}", appendix.peildatum.to_dutch()),
            fonts::Style::Regular,
        ),
        footer_left: glyphs.text(&appendix.sender, fonts::Style::Regular),
        author: &appendix.publisher,
        date: appendix.peildatum,
        creator: format!("werkplan {}", appendix.version),
        subject: match edition {
            Edition::Publication => appendix.subject.clone(),
            Edition::Control => appendix.control.subject.clone(),
        },
    };
    let bytes = emit::emit(laid, &fonts, &info)?;
    Ok(Rendered {
        bytes,
        warnings: glyphs.into_warnings(),
    })
}
