//! The application's errors: every way a command ends without its work done, each with its
//! Dutch message (`Display`, printed after `fout: `) and, in [`AppError::outcome`], its
//! exit code.
//!
//! The rooms of `app` each have their own error ([`UsageError`] for the checked
//! configuration, [`LockError`], [`ArchiveError`], [`PreviousError`], [`PublishError`]);
//! [`AppError`] gathers them and adds what the operator is told about the outputs
//! (`er is niets geschreven`, `het vorige rapport is ongewijzigd`).

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::compute::{Finding, Severity};
use crate::ingest::basis::BasisError;
use crate::ingest::read::io_reason;
use crate::model::Date;
use crate::render::TextError;
use crate::render::html::HtmlError;
use crate::render::pdf::PdfError;
use crate::render::xlsx::XlsxError;

use super::Outcome;
use super::archive::ARCHIVE_DIR;
use super::config::PREVIOUS;

/// Why a command stopped; [`AppError::outcome`] is its exit code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Wrong use of the command line, found before anything is read or created (exit 2).
    #[error(transparent)]
    Usage(#[from] UsageError),
    /// The pipeline could not produce a report (exit 1); nothing was written. A peildatum
    /// outside the werkplan's years is a [`AppError::Usage`] instead (see the `From`).
    #[error("{0}; er is niets geschreven")]
    Load(LoadError),
    /// `--strict` and warnings (exit 3); nothing was written.
    #[error("--strict: er zijn waarschuwingen, er is niets geschreven")]
    StrictWarnings,
    /// The output folder cannot be made (exit 1).
    #[error("{}: de uitvoermap kan niet worden gemaakt: {}", .dir.display(), io_text(.source))]
    OutputFolderMissing {
        /// The output folder as given.
        dir: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// Nothing can be written in the output folder (exit 1).
    #[error("{}: in de uitvoermap kan niet worden geschreven: {}", .dir.display(), io_text(.source))]
    OutputFolderReadOnly {
        /// The output folder as given.
        dir: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The output folder's lock is held or cannot be taken (exit 1).
    #[error(transparent)]
    Lock(#[from] LockError),
    /// An output could not be rendered (exit 1); the message names which output and why,
    /// as its renderer said it.
    #[error("{0}; er is niets geschreven")]
    Render(#[from] RenderError),
    /// An archived file would get other content, or cannot be read (exit 1).
    #[error("{0}; er is niets geschreven")]
    Archive(#[from] ArchiveError),
    /// Publishing failed; every file was put back (exit 1).
    #[error("{0}; het vorige rapport is ongewijzigd")]
    Publish(#[from] PublishError),
    /// `werkplan completions`: the script cannot be written to stdout (exit 1).
    #[error("de aanvulling kan niet worden geschreven: {}", io_text(.0))]
    Completions(io::Error),
    /// `werkplan man`: a page cannot be written into the folder (exit 1).
    #[error("{}: de man-pagina's kunnen niet worden geschreven: {}", .folder.display(), io_text(.source))]
    ManPages {
        /// The folder as given.
        folder: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

impl AppError {
    /// How the run ended: the one place an error becomes an exit code.
    pub fn outcome(&self) -> Outcome {
        match self {
            AppError::Usage(_) => Outcome::Usage,
            AppError::StrictWarnings => Outcome::StrictWarnings,
            AppError::Load(_)
            | AppError::OutputFolderMissing { .. }
            | AppError::OutputFolderReadOnly { .. }
            | AppError::Lock(_)
            | AppError::Render(_)
            | AppError::Archive(_)
            | AppError::Publish(_)
            | AppError::Completions(_)
            | AppError::ManPages { .. } => Outcome::Failed,
        }
    }
}

impl From<LoadError> for AppError {
    /// A peildatum outside the werkplan's years is wrong use of `--peildatum`; every other
    /// load error is about the input.
    fn from(error: LoadError) -> AppError {
        match error {
            LoadError::Peildatum(e) => AppError::Usage(UsageError::PeildatumOutOfRange(e)),
            other => AppError::Load(other),
        }
    }
}

/// Why the pipeline could not produce a report.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The input has errors; every finding (errors and warnings) is here.
    #[error("de invoer bevat {} fout(en)", Finding::with_severity(.0, Severity::Fout).count())]
    Input(Vec<Finding>),
    /// A template could not be loaded or rendered.
    #[error(transparent)]
    Template(#[from] TextError),
    /// A font of the PDF does not load (its coverage is checked with the findings).
    #[error(transparent)]
    Font(#[from] PdfError),
    /// The peildatum lies outside the werkplan's years (a usage error).
    #[error(transparent)]
    Peildatum(#[from] PeildatumOutOfRange),
    /// The basis file cannot be used: missing, not JSON, truncated, another schema, not a
    /// werkplan report. The message names the file and what is wrong.
    #[error(transparent)]
    Basis(#[from] BasisError),
    /// `--basis vorige` finds no archived report before the peildatum, or cannot read the
    /// archive.
    #[error(transparent)]
    Previous(#[from] PreviousError),
}

/// A `--peildatum` outside the werkplan's years.
#[derive(Debug, thiserror::Error)]
#[error(
    "--peildatum {given} ligt buiten de jaren van het werkplan; geldig is {first} tot en met {last} (het eerste jaar van de tabellen tot het laatste begrotingsjaar)"
)]
pub struct PeildatumOutOfRange {
    /// The peildatum given.
    pub given: Date,
    /// The first valid day: 1 January of the first year of the tables.
    pub first: Date,
    /// The last valid day: 31 December of the last budget year.
    pub last: Date,
}

/// Wrong use of the command line (exit 2): what the checked configuration refuses, and a
/// peildatum outside the werkplan's years.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// `--peildatum` is no date.
    #[error(
        "--peildatum ‘{text}’ is geen geldige datum; verwacht JJJJ-MM-DD, bijvoorbeeld 2022-12-31"
    )]
    PeildatumNoDate {
        /// The text given.
        text: String,
    },
    /// `--peildatum` outside the werkplan's years.
    #[error(transparent)]
    PeildatumOutOfRange(PeildatumOutOfRange),
    /// `check --basis vorige`: check has no output folder, so no archive.
    #[error(
        "--basis {PREVIOUS}: alleen bij build (het archief staat in de uitvoermap); geef bij check het bestand, bijvoorbeeld --basis output/{ARCHIVE_DIR}/financien-werkplan-2022-2022-06-30.json"
    )]
    PreviousWithoutOutput,
    /// `--input` names a file.
    #[error("--input {}: is een bestand, geen map; geef de map met de werkboeken", .path.display())]
    InputIsFile {
        /// The path as given.
        path: PathBuf,
    },
    /// `--output` names a file.
    #[error("--output {}: is een bestand, geen map; geef de map waarin het rapport komt", .path.display())]
    OutputIsFile {
        /// The path as given.
        path: PathBuf,
    },
    /// `--input` and `--output` are one folder.
    #[error("--input en --output zijn dezelfde map ({}); het rapport zou de volgende keer als invoer worden gelezen", .output.display())]
    SameFolder {
        /// `--output` as given.
        output: PathBuf,
    },
    /// The `--templates` folder does not exist.
    #[error("--templates {}: bestaat niet", .path.display())]
    TemplatesMissing {
        /// The folder as given.
        path: PathBuf,
    },
    /// The `--templates` folder holds something that is not a template file.
    #[error("--templates: {0}")]
    Templates(TextError),
    /// A font given does not exist.
    #[error("{option} {}: bestaat niet", .path.display())]
    FontMissing {
        /// `--font` or `--font-bold`.
        option: &'static str,
        /// The path as given.
        path: PathBuf,
    },
    /// A font given cannot be read.
    #[error("{option} {}: het lettertype kan niet worden gelezen: {}", .path.display(), io_text(.source))]
    FontUnreadable {
        /// `--font` or `--font-bold`.
        option: &'static str,
        /// The path as given.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// A font given is a folder or another thing that is not a regular file.
    #[error("{option} {}: is geen gewoon bestand; verwacht een lettertype (TTF of OTF)", .path.display())]
    FontNotAFile {
        /// `--font` or `--font-bold`.
        option: &'static str,
        /// The path as given.
        path: PathBuf,
    },
    /// A font given is larger than [`super::MAX_FONT_BYTES`].
    #[error("{option} {}: is groter dan {} MiB; dat is geen lettertype", .path.display(), super::MAX_FONT_BYTES >> 20)]
    FontTooLarge {
        /// `--font` or `--font-bold`.
        option: &'static str,
        /// The path as given.
        path: PathBuf,
    },
    /// A font given is no font the PDF's shaper can parse.
    #[error("{option} {}: is geen lettertype (TTF of OTF) dat gelezen kan worden", .path.display())]
    NotAFont {
        /// `--font` or `--font-bold`.
        option: &'static str,
        /// The path as given.
        path: PathBuf,
    },
}

/// The output folder's lock cannot be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another run holds it.
    #[error("{}: een andere werkplan-run{} schrijft in deze uitvoermap; wacht tot die klaar is", .dir.display(), .holder.map(|pid| format!(" (proces {pid})")).unwrap_or_default())]
    Held {
        /// The output folder.
        dir: PathBuf,
        /// The holder's process id, if the lock file names it.
        holder: Option<u32>,
    },
    /// The lock file cannot be made, locked or written.
    #[error("{}: het slot kan niet worden gemaakt: {}", .path.display(), io_text(.source))]
    Io {
        /// The lock file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The lock file was removed under us time after time.
    #[error("{}: het slot kan niet worden verkregen", .path.display())]
    Unavailable {
        /// The lock file.
        path: PathBuf,
    },
}

/// Archived files that stop `--archief`: an archived report is never replaced.
#[derive(Debug)]
pub struct ArchiveError {
    /// Every archived file in the way.
    pub conflicts: Vec<ArchiveConflict>,
    /// The archive folder.
    pub folder: PathBuf,
    /// The run's peildatum.
    pub peildatum: Date,
}

impl std::error::Error for ArchiveError {}

impl fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, conflict) in self.conflicts.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{conflict}")?;
        }
        write!(
            f,
            "; een gearchiveerd rapport wordt nooit vervangen. Is dit rapport van peildatum {} terecht anders (verbeterde invoer, een nieuwe versie van werkplan), verplaats dan de archiefbestanden van die peildatum naar een map buiten {} en draai opnieuw",
            self.peildatum,
            self.folder.display()
        )
    }
}

/// One archived file in the way of `--archief`.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveConflict {
    /// The archived file cannot be read (to compare it).
    #[error("{}: kan niet worden gelezen: {}", .path.display(), io_text(.source))]
    Unreadable {
        /// The archived file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// A folder or another thing that is not a regular file has the archived file's name.
    #[error("{}: is geen gewoon bestand", .path.display())]
    NotAFile {
        /// The archived file.
        path: PathBuf,
    },
    /// The archive holds the file with other bytes.
    #[error("{}: staat al in het archief met een andere inhoud", .path.display())]
    Different {
        /// The archived file.
        path: PathBuf,
    },
}

/// `--basis vorige` finds no report to compare with.
#[derive(Debug, thiserror::Error)]
pub enum PreviousError {
    /// The archive folder cannot be read.
    #[error("--basis vorige: {}: het archief kan niet worden gelezen: {}", .archive.display(), io_text(.source))]
    Unreadable {
        /// The archive folder.
        archive: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// No archived report lies before the peildatum (also when the folder is missing).
    #[error("--basis vorige: {}: geen gearchiveerd rapport (financien-werkplan-<jaar>-<peildatum>.json) met een peildatum vóór {peildatum}; maak het eerste rapport zonder --basis (met --archief), of geef het bestand van de basis", .archive.display())]
    NoneBefore {
        /// The archive folder.
        archive: PathBuf,
        /// The run's peildatum.
        peildatum: Date,
    },
}

/// Publishing the outputs failed (see `publish`); every file was put back.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// A temporary file or the journal cannot be written.
    #[error("{}: kan niet worden geschreven: {}", .path.display(), io_text(.source))]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// A folder stands where a report file belongs.
    #[error("{}: hier staat een map waar het rapportbestand hoort", .path.display())]
    FolderInTheWay {
        /// The report file's path.
        path: PathBuf,
    },
    /// A file in a subfolder (the archive) exists; it is never replaced.
    #[error("{}: bestaat al en wordt niet vervangen", .path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// A subfolder (the archive) cannot be made.
    #[error("{}: de map kan niet worden gemaakt: {}", .path.display(), io_text(.source))]
    MakeFolder {
        /// The subfolder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// The output folder cannot be synced after making a subfolder.
    #[error("{}: {}", .path.display(), io_text(.source))]
    Sync {
        /// The output folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
    /// A file cannot be moved aside or into place, or a folder cannot be synced.
    #[error("{}: kan niet worden vervangen: {}", .path.display(), io_text(.source))]
    Replace {
        /// The file or folder.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

/// An I/O error for the operator: the Dutch words for its kind, then what the operating
/// system said, word for word (`geen toestemming (systeemmelding: Permission denied (os
/// error 13))`). The Dutch lead tells what to look at; the system's own text tells what
/// exactly happened (an error kind the lead names only as `het besturingssysteem weigert
/// dit`, a network share's error), and can be searched for.
pub(crate) fn io_text(error: &io::Error) -> String {
    format!("{} (systeemmelding: {error})", io_reason(error))
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::{AppError, io_text};

    #[test]
    fn an_io_error_keeps_the_systems_text_after_the_dutch_words() {
        let denied = io::Error::new(io::ErrorKind::PermissionDenied, "Permission denied");
        assert_eq!(
            io_text(&denied),
            "geen toestemming (systeemmelding: Permission denied)"
        );
        let odd = io::Error::other("Stale file handle");
        assert_eq!(
            AppError::Completions(odd).to_string(),
            "de aanvulling kan niet worden geschreven: het besturingssysteem weigert dit (systeemmelding: Stale file handle)"
        );
    }
}

/// An output that could not be made in memory: which one, and what its renderer said.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The publication's PDF.
    #[error("PDF kon niet worden gemaakt: {0}")]
    Pdf(PdfError),
    /// The control report's PDF.
    #[error("PDF van de controle kon niet worden gemaakt: {0}")]
    ControlPdf(PdfError),
    /// The JSON.
    #[error("JSON kon niet worden gemaakt: {0}")]
    Json(serde_json::Error),
    /// The publication's XLSX.
    #[error("XLSX kon niet worden gemaakt: {0}")]
    Xlsx(XlsxError),
    /// The web page.
    #[error("HTML kon niet worden gemaakt: {0}")]
    Html(HtmlError),
    /// The control report's XLSX.
    #[error("XLSX van de controle kon niet worden gemaakt: {0}")]
    ControlXlsx(XlsxError),
}
