//! The checked run configuration: the command line resolved before any work starts.
//!
//! Every wrong use is found here, before a workbook is read or a folder created, and is a
//! usage error (exit 2): a peildatum that is no date, `--input` or `--output` naming a file,
//! the two naming one folder, a templates folder that is missing or holds something that is
//! not a template file, a font that is missing, not a regular file, too big or not a font,
//! `--basis vorige` with `check` (which has no output folder, so no archive). A basis file
//! is input: it is read with the workbooks, and one that is missing or cannot be used is an
//! input error (exit 1), as a missing input folder is.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::cli::{BuildArgs, CommonArgs};
use crate::ingest::limits::Limits;
use crate::model::{Origin, Place};
use crate::render::pdf::PdfOptions;
use crate::render::text;

use super::archive::ARCHIVE_DIR;
use super::error::UsageError;
use super::peildatum::Peildatum;
use super::{BasisSource, FontChoice};

/// The largest font read, in bytes (50 MiB): a full CJK font is some 20 MiB, and a font is
/// read completely into memory.
pub const MAX_FONT_BYTES: u64 = 50 << 20;

/// What `check` and `build` share, checked.
pub(crate) struct RunConfig {
    /// The input folder as given (shown in messages).
    pub(crate) input: PathBuf,
    /// How the peildatum is chosen: `--peildatum` parsed, or from the input.
    pub(crate) peildatum: Peildatum,
    /// Whether warnings stop the run.
    pub(crate) strict: bool,
    /// The resource limits.
    pub(crate) limits: Limits,
    /// The templates folder, checked.
    pub(crate) templates: Option<PathBuf>,
    /// The PDF's fonts, read and checked (both commands check the text against them).
    pub(crate) fonts: FontChoice,
    /// The basis of the comparison (`--basis`), if given.
    pub(crate) basis: Option<BasisSource>,
}

/// What `build` needs besides, checked.
pub(crate) struct BuildConfig {
    /// The shared part.
    pub(crate) run: RunConfig,
    /// The output folder (it may not exist yet).
    pub(crate) output: PathBuf,
    /// Whether the report is also kept in the output folder's archive (`--archief`).
    pub(crate) archive: bool,
}

/// The word of `--basis` that takes the archive's previous report.
pub(crate) const PREVIOUS: &str = "vorige";

impl RunConfig {
    /// Resolves the shared options of `check`, which has no output folder and so no archive
    /// for `--basis vorige`.
    ///
    /// # Errors
    /// A wrong use.
    pub(crate) fn resolve(common: &CommonArgs) -> Result<RunConfig, UsageError> {
        RunConfig::resolve_with_output(common, None)
    }

    /// Resolves the shared options; `output` is the output folder of `build`, whose
    /// `archief` `--basis vorige` reads.
    ///
    /// Only the word `vorige` is checked here: a basis file is input, read (and refused
    /// with exit 1 when missing or unusable) with the workbooks, as a missing input folder
    /// is.
    fn resolve_with_output(
        common: &CommonArgs,
        output: Option<&Path>,
    ) -> Result<RunConfig, UsageError> {
        let basis = match (&common.basis, output) {
            (None, _) => None,
            (Some(path), Some(output)) if path.as_os_str() == PREVIOUS => {
                Some(BasisSource::Previous(output.join(ARCHIVE_DIR)))
            }
            (Some(path), None) if path.as_os_str() == PREVIOUS => {
                return Err(UsageError::PreviousWithoutOutput);
            }
            (Some(path), _) => Some(BasisSource::File(path.clone())),
        };
        let peildatum = Peildatum::parse(common.peildatum.as_deref())?;
        // a missing input folder is an input error (exit 1, as before); a file is no folder
        if common.input.exists() && !common.input.is_dir() {
            return Err(UsageError::InputIsFile {
                path: common.input.clone(),
            });
        }
        if let Some(dir) = &common.templates {
            if !dir.exists() {
                return Err(UsageError::TemplatesMissing { path: dir.clone() });
            }
            text::check_folder(Some(dir)).map_err(UsageError::Templates)?;
        }
        let font_regular = common
            .font
            .as_deref()
            .map(|path| read_font(path, "--font"))
            .transpose()?;
        let font_bold = match common.font_bold.as_deref() {
            Some(path) => Some(read_font(path, "--font-bold")?),
            None => font_regular.clone(),
        };
        let fonts = match &common.font {
            None => FontChoice::default(),
            Some(regular) => FontChoice {
                options: PdfOptions {
                    font_regular,
                    font_bold,
                },
                // the file names only: outputs hold no path; the log shows the paths given
                place: Place::outside(
                    Origin::Lettertype,
                    match &common.font_bold {
                        Some(bold) => format!("{} en {}", file_name(regular), file_name(bold)),
                        None => file_name(regular),
                    },
                ),
            },
        };
        Ok(RunConfig {
            input: common.input.clone(),
            peildatum,
            strict: common.strict,
            limits: common.limits(),
            templates: common.templates.clone(),
            fonts,
            basis,
        })
    }
}

impl BuildConfig {
    /// Resolves the options of `build`.
    ///
    /// # Errors
    /// A wrong use.
    pub(crate) fn resolve(args: &BuildArgs) -> Result<BuildConfig, UsageError> {
        let output = args.output.clone();
        let run = RunConfig::resolve_with_output(&args.common, Some(&output))?;
        if output.exists() && !output.is_dir() {
            return Err(UsageError::OutputIsFile { path: output });
        }
        if same_folder(&run.input, &output) {
            return Err(UsageError::SameFolder { output });
        }
        Ok(BuildConfig {
            run,
            output,
            archive: args.archief,
        })
    }
}

/// Reads a font given on the command line: a regular file of at most [`MAX_FONT_BYTES`]
/// that the PDF's shaper can parse.
fn read_font(path: &Path, option: &'static str) -> Result<Vec<u8>, UsageError> {
    let path_buf = || path.to_path_buf();
    let unreadable = |source| UsageError::FontUnreadable {
        option,
        path: path_buf(),
        source,
    };
    let too_large = || UsageError::FontTooLarge {
        option,
        path: path_buf(),
    };
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(UsageError::FontMissing {
                option,
                path: path_buf(),
            });
        }
        Err(e) => return Err(unreadable(e)),
    };
    if !meta.is_file() {
        return Err(UsageError::FontNotAFile {
            option,
            path: path_buf(),
        });
    }
    if meta.len() > MAX_FONT_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_FONT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FONT_BYTES {
        return Err(too_large());
    }
    if rustybuzz::Face::from_slice(&bytes, 0).is_none() {
        return Err(UsageError::NotAFont {
            option,
            path: path_buf(),
        });
    }
    Ok(bytes)
}

/// Whether two paths are the same folder (both existing, after resolving links).
fn same_folder(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A path's last part (`LiberationSans.ttf`), for a place that must not hold the path.
fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy()
        .into_owned()
}
