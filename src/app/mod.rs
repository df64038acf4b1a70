//! The application: checked configuration, the pipeline's stages in order, and the only
//! place that writes files.
//!
//! Outputs are rendered completely in memory, written to temporary files in the output
//! folder and renamed into place only when every one of them succeeded, so a failed run
//! leaves the previous report exactly as it was.

mod archive;
mod config;
mod error;
mod lock;
mod log;
mod peildatum;
mod publish;

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{BuildArgs, Cli, Command, CommonArgs};
use config::{BuildConfig, RunConfig};

use crate::compute::changes::{Changes, compare};
use crate::compute::{self, Finding, Report};
use crate::ingest;
use crate::ingest::ledger::Progress;
use crate::ingest::limits::Limits;
use crate::model::Basis;
use crate::model::{Date, Origin, Place, Werkplan};
use crate::render::pdf::{PdfOptions, TextSources};
use crate::render::{self, Appendix, Texts};
pub use config::MAX_FONT_BYTES;
pub use error::{
    AppError, ArchiveConflict, ArchiveError, LoadError, LockError, PeildatumOutOfRange,
    PreviousError, PublishError, RenderError, UsageError,
};
pub use lock::LOCK_FILE;
use lock::OutputLock;
use log::Log;
pub use peildatum::{Peildatum, choose_peildatum, default_peildatum, peildatum_range};
use publish::{Staged, recover_interrupted};

/// How many findings are printed; the rest are counted. A finance officer fixes a few
/// hundred at a time, and a broken export should not flood the scheduler's log.
pub const MAX_FINDINGS_SHOWN: usize = 200;

/// How a run ended; each maps to an exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done; warnings may have been reported (exit 0).
    Ok,
    /// The input cannot be processed, or an output could not be written; nothing was
    /// written (exit 1).
    Failed,
    /// Wrong use of the command line (exit 2).
    Usage,
    /// `--strict` and warnings: nothing was written (exit 3).
    StrictWarnings,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> ExitCode {
        ExitCode::from(match self {
            Outcome::Ok => 0,
            Outcome::Failed => 1,
            Outcome::Usage => 2,
            Outcome::StrictWarnings => 3,
        })
    }
}

/// Everything the pipeline produced in memory from one input folder.
pub struct Loaded {
    /// The validated model.
    pub werkplan: Werkplan,
    /// The computed report with its findings (ingest warnings first).
    pub report: Report,
    /// What the PDF and XLSX print.
    pub appendix: Appendix,
    /// The loaded templates (the web page's skeleton among them).
    pub texts: Texts,
    /// The basis the report was compared with (`--basis`): the file as given or found in
    /// the archive; `None` without a basis.
    pub basis: Option<PathBuf>,
}

/// Where the basis of the actualisatie's comparison comes from (`--basis`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BasisSource {
    /// An earlier report's JSON (`--basis FILE`).
    File(PathBuf),
    /// The newest report in this archive folder whose peildatum lies before the run's
    /// (`--basis vorige`: `<uitvoermap>/archief`).
    Previous(PathBuf),
}

/// The PDF's fonts as a run uses them: their bytes, and how a finding names them.
#[derive(Clone, Debug)]
pub struct FontChoice {
    /// The fonts.
    pub options: PdfOptions,
    /// The place of a finding about the fonts themselves: the `--font` file, else the
    /// built-in font.
    pub place: Place,
}

impl Default for FontChoice {
    /// The compiled-in Liberation Sans.
    fn default() -> FontChoice {
        FontChoice {
            options: PdfOptions::default(),
            place: Place::outside(Origin::Ingebouwd, "ingebouwd lettertype Liberation Sans"),
        }
    }
}

/// How many times the appendix is rebuilt with new font findings: the findings change only
/// counts in the template texts, so the second round finds nothing new unless a replacement
/// template prints different text for them.
const FONT_ROUNDS: usize = 3;

/// Runs ingest, compute and the appendix on one input folder, with the built-in font.
///
/// Every place names its file relative to `input` (`werkplan-2022.xlsx`), so no output
/// holds a path of this machine; the log shows `input` in front. `templates` replaces the
/// built-in texts.
///
/// # Errors
/// Input errors (all of them) or a template error.
pub fn load(
    input: &Path,
    peildatum: Option<Date>,
    templates: Option<&Path>,
) -> Result<Loaded, LoadError> {
    load_with(
        input,
        peildatum,
        templates,
        &Limits::DEFAULT,
        &FontChoice::default(),
    )
}

/// [`load`] with explicit resource limits and fonts.
///
/// Characters the fonts lack are findings (`lettertype`, a warning per text at its place),
/// found here with all the others, so `check` and `build` report and count them alike.
///
/// # Errors
/// Input errors (all of them), a template error or a font that does not load.
pub fn load_with(
    input: &Path,
    peildatum: Option<Date>,
    templates: Option<&Path>,
    limits: &Limits,
    fonts: &FontChoice,
) -> Result<Loaded, LoadError> {
    load_with_progress(
        input,
        Peildatum::from(peildatum),
        templates,
        limits,
        fonts,
        None,
        None,
    )
}

/// [`load_with`], telling `progress` how the reading of ledger sheets goes, and compared
/// with `basis` (the actualisatie: `report.changes`).
///
/// A basis file is read before the workbooks, so a basis that cannot be used stops the run
/// at once; the archive's previous report is found once the peildatum is known.
///
/// # Errors
/// As [`load_with`]; a given peildatum outside the werkplan's years; a basis that cannot
/// be used.
pub fn load_with_progress(
    input: &Path,
    peildatum: Peildatum,
    templates: Option<&Path>,
    limits: &Limits,
    fonts: &FontChoice,
    basis: Option<&BasisSource>,
    progress: Option<&mut (dyn Progress + '_)>,
) -> Result<Loaded, LoadError> {
    let texts = Texts::load(templates)?;
    // the basis read, with its path for the log
    let mut compared_with = match basis {
        Some(BasisSource::File(path)) => Some(read_basis(path)?),
        _ => None,
    };
    // places relative to the input folder: the file's name in it
    let ingested =
        ingest::read_folder_with(input, "", limits, progress).map_err(LoadError::Input)?;
    // the one place the run's peildatum is decided; compute, the archive's previous report
    // and every output take this date
    let peildatum = peildatum.resolve(&ingested.werkplan)?;
    let mut report = compute::report_for(&ingested.werkplan, peildatum);
    report.findings.splice(0..0, ingested.warnings);
    if report.errors().next().is_some() {
        return Err(LoadError::Input(report.findings));
    }
    if let Some(BasisSource::Previous(archive)) = basis {
        let path = archive::previous(archive, ingested.werkplan.year, peildatum)?;
        compared_with = Some(read_basis(&path)?);
    }
    let compared = |report: &Report| {
        compared_with
            .as_ref()
            .map(|(_, basis)| compare(basis, &ingested.werkplan, report))
    };
    report.changes = compared(&report);
    let mut appendix = Appendix::build(&report, &texts)?;
    let sources = TextSources {
        intro: template_place(templates, "financien"),
        controle: template_place(templates, "controle"),
        font: fonts.place.clone(),
    };
    for _ in 0..FONT_ROUNDS {
        let found =
            render::pdf::font_findings(&ingested.werkplan, &appendix, &sources, &fonts.options)?;
        let known: HashSet<(&Place, &str)> = report
            .findings
            .iter()
            .map(|f| (&f.place, f.message.as_str()))
            .collect();
        let new: Vec<Finding> = found
            .into_iter()
            .filter(|f| !known.contains(&(&f.place, f.message.as_str())))
            .collect();
        if new.is_empty() {
            break;
        }
        // the findings are part of the appendix (its Controle text counts them) and of the
        // comparison (the findings that are new since the basis)
        report.findings.extend(new);
        report.changes = compared(&report);
        appendix = Appendix::build(&report, &texts)?;
    }
    Ok(Loaded {
        werkplan: ingested.werkplan,
        report,
        appendix,
        texts,
        basis: compared_with.map(|(path, _)| path),
    })
}

/// Reads the basis at `path`; the path is kept for the log.
fn read_basis(path: &Path) -> Result<(PathBuf, Basis), LoadError> {
    ingest::basis::read_basis(path)
        .map(|basis| (path.to_path_buf(), basis))
        .map_err(LoadError::Basis)
}

/// Where a template's text comes from: the replacement in `templates` (its name in that
/// folder), else the built-in one.
fn template_place(templates: Option<&Path>, name: &str) -> Place {
    let file = format!("{name}.hbs");
    match templates.filter(|dir| dir.join(&file).is_file()) {
        Some(_) => Place::outside(Origin::Sjablonen, file),
        None => Place::outside(Origin::Ingebouwd, format!("ingebouwd sjabloon {file}")),
    }
}

/// The file name of the control report for a year, without extension:
/// `controle-werkplan-2022`.
pub fn control_stem(year: i32) -> String {
    format!("controle-werkplan-{year}")
}

/// The file name of the report for a year, without extension: `financien-werkplan-2022`.
pub fn report_stem(year: i32) -> String {
    format!("financien-werkplan-{year}")
}

/// Runs the command line.
pub fn run(cli: Cli) -> Outcome {
    match cli.command {
        Command::Build(args) => {
            let log = Log::new(&args.common);
            finish(&log, build(&args, &log))
        }
        Command::Check(args) => {
            let log = Log::new(&args);
            finish(&log, check(&args, &log))
        }
        Command::Completions(args) => finish_plain(print_completions(args.shell)),
        Command::Man(args) => finish_plain(write_man_pages(&args.folder)),
    }
}

/// The outcome of `check` or `build`: an error is logged (`fout: …`) and becomes its exit
/// code.
fn finish(log: &Log, result: Result<(), AppError>) -> Outcome {
    match result {
        Ok(()) => Outcome::Ok,
        Err(error) => {
            log.error(&error.to_string());
            error.outcome()
        }
    }
}

/// [`finish`] for the installation helpers, which have no log options.
fn finish_plain(result: Result<(), AppError>) -> Outcome {
    match result {
        Ok(()) => Outcome::Ok,
        Err(error) => {
            eprintln!("fout: {error}");
            error.outcome()
        }
    }
}

/// `werkplan completions`: the script on stdout.
fn print_completions(shell: clap_complete::Shell) -> Result<(), AppError> {
    std::io::stdout()
        .write_all(&crate::cli::completions(shell))
        .map_err(AppError::Completions)
}

/// `werkplan man`: the pages in the folder, their names on stdout.
fn write_man_pages(folder: &Path) -> Result<(), AppError> {
    let written = crate::cli::write_man_pages(folder).map_err(|source| AppError::ManPages {
        folder: folder.to_path_buf(),
        source,
    })?;
    for path in written {
        println!("{}", path.display());
    }
    Ok(())
}

/// Loads and reports the findings; an error when there is nothing to write (the findings
/// of an input error are logged already).
fn load_and_report(config: &RunConfig, log: &Log) -> Result<Loaded, AppError> {
    let mut progress = log.progress();
    let loaded = load_with_progress(
        &config.input,
        config.peildatum,
        config.templates.as_deref(),
        &config.limits,
        &config.fonts,
        config.basis.as_ref(),
        progress.as_mut().map(|p| p as &mut dyn Progress),
    );
    drop(progress);
    let loaded = loaded.map_err(|error| {
        if let LoadError::Input(findings) = &error {
            log.findings(findings);
        }
        AppError::from(error)
    })?;
    log.findings(&loaded.report.findings);
    log.ledger_summary(&loaded.werkplan.ledger, loaded.report.peildatum);
    if let (Some(path), Some(changes)) = (&loaded.basis, &loaded.report.changes) {
        log.info(&basis_summary(path, changes));
    }
    let checks = loaded.report.checks;
    log.info(&format!(
        "{} controles, {} in orde; {} waarschuwing(en)",
        checks.total,
        checks.passed,
        loaded.report.warnings().count()
    ));
    // a monthly run: what the peildatum left out of the ledger (template `peildatum`)
    for block in &loaded.appendix.control.left_out {
        log.info(block.text());
    }
    if config.strict && loaded.report.warnings().next().is_some() {
        return Err(AppError::StrictWarnings);
    }
    Ok(loaded)
}

/// What the log says about the comparison: the basis used and how much changed.
fn basis_summary(path: &Path, changes: &Changes) -> String {
    let counts = changes.counts();
    let lines = counts.changed + counts.added + counts.removed + counts.renamed + counts.moved;
    let awards = counts.awards_added + counts.awards_withdrawn;
    format!(
        "vergeleken met {} (werkplan {}, peildatum {}): {lines} regel(s) en {awards} toekenning(en) gewijzigd; verschil in totaal budget {}",
        path.display(),
        changes.basis_year,
        changes.basis_peildatum,
        changes.total_budget().difference().to_dutch_with(false)
    )
}

/// `werkplan check`: the command line checked completely before anything is read, then
/// the input loaded and its findings reported.
fn check(common: &CommonArgs, log: &Log) -> Result<(), AppError> {
    let config = RunConfig::resolve(common)?;
    load_and_report(&config, log).map(drop)
}

/// `werkplan build`: the command line checked completely before anything is created or
/// read; the folders a failed run created are removed again.
fn build(args: &BuildArgs, log: &Log) -> Result<(), AppError> {
    let config = BuildConfig::resolve(args)?;
    // the folders this run creates, innermost first; a failed run removes them again
    let created: Vec<PathBuf> = config
        .output
        .ancestors()
        .take_while(|dir| !dir.as_os_str().is_empty() && !dir.exists())
        .map(Path::to_path_buf)
        .collect();
    let result = build_in(&config, log);
    if result.is_err() {
        for dir in &created {
            let _ = fs::remove_file(dir.join(LOCK_FILE));
            let _ = fs::remove_dir(dir);
        }
    }
    result
}

/// `build` once the command line is checked: lock, recover, load, render, publish.
fn build_in(config: &BuildConfig, log: &Log) -> Result<(), AppError> {
    ensure_writable(&config.output)?;
    let _lock = OutputLock::acquire(&config.output)?;
    for note in recover_interrupted(&config.output) {
        log.info(&note);
    }
    let loaded = load_and_report(&config.run, log)?;
    let (mut outputs, mut staged) = render_all(&loaded, &config.run.fonts.options, &config.output)?;
    // the archive is planned once every output exists, after the others were staged: an
    // archive conflict stops the run (its staged files removed), but a temporary file that
    // could not be written is the error reported before it
    if config.archive {
        let report = &loaded.report;
        let (new, kept) = archive::plan(&config.output, report.year, report.peildatum, &outputs)?;
        for path in kept {
            log.info(&format!("al in het archief: {}", path.display()));
        }
        staged.write(&new)?;
        outputs.extend(new);
    }
    let names: Vec<&str> = outputs.iter().map(|(name, _)| name.as_str()).collect();
    staged.arrange(&names);
    for path in staged.publish()? {
        log.info(&format!("geschreven: {}", path.display()));
    }
    Ok(())
}

/// An output in memory: (file name, bytes).
type OutputFile = (String, Vec<u8>);

/// Renders every output in memory: the publication (`financien-werkplan-<jaar>.{pdf,xlsx}`),
/// the control report (`controle-werkplan-<jaar>.{pdf,xlsx}`) and the JSON, and writes each
/// to its temporary file in `dir` (step 1 of publishing, [`Staged`]); all are published in
/// one step afterwards. The characters the PDF's font lacks are findings already
/// (`load_with`), so the PDF renderer's own list of them is not printed again.
///
/// The publication PDF, the longest by far, is made on a thread of its own while this
/// thread makes the other outputs ([`render_others`]) and writes them to their temporary
/// files; the outputs do not depend on each other, so their bytes are the same as one after
/// the other. When several fail, the first error in the order publication PDF, control PDF,
/// JSON, XLSX, web page, control XLSX is the one reported, as before, then a temporary file
/// that cannot be written; whatever was staged is removed again. A panic in the PDF thread
/// goes on as a panic here.
fn render_all(
    loaded: &Loaded,
    pdf: &PdfOptions,
    dir: &Path,
) -> Result<(Vec<OutputFile>, Staged), AppError> {
    let stem = report_stem(loaded.report.year);
    let control = control_stem(loaded.report.year);
    let (publication_pdf, others) = std::thread::scope(|scope| {
        let publication = scope.spawn(|| render::pdf::render(&loaded.appendix, pdf));
        let others = render_others(loaded, pdf).map(|others| {
            let files = vec![
                (format!("{stem}.json"), others.json),
                (format!("{stem}.xlsx"), others.xlsx),
                (format!("{stem}.html"), others.html),
                (format!("{control}.xlsx"), others.control_xlsx),
                (format!("{control}.pdf"), others.control_pdf),
            ];
            let mut staged = Staged::new(dir);
            let written = staged.write(&files).map(|()| staged);
            (files, written)
        });
        let publication = publication
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (publication, others)
    });
    let publication_pdf = publication_pdf.map_err(RenderError::Pdf)?;
    let (mut outputs, staged) = others?;
    let mut staged = staged?;
    let pdf_file = (format!("{stem}.pdf"), publication_pdf.bytes);
    staged.write(std::slice::from_ref(&pdf_file))?;
    // the order of the journal and the renames: as before the staging
    outputs.insert(2, pdf_file);
    Ok((outputs, staged))
}

/// The outputs besides the publication PDF, in memory.
struct Others {
    /// The control report's PDF.
    control_pdf: Vec<u8>,
    /// The publication's JSON.
    json: Vec<u8>,
    /// The publication's XLSX.
    xlsx: Vec<u8>,
    /// The web page.
    html: Vec<u8>,
    /// The control report's XLSX.
    control_xlsx: Vec<u8>,
}

/// Renders the outputs besides the publication PDF, one after the other, stopping at the
/// first that fails (the order of [`render_all`]'s errors).
fn render_others(loaded: &Loaded, pdf: &PdfOptions) -> Result<Others, RenderError> {
    let control_pdf =
        render::pdf::render_control(&loaded.appendix, pdf).map_err(RenderError::ControlPdf)?;
    let json = render::json::render(&loaded.werkplan, &loaded.report, &loaded.appendix.tables)
        .map_err(RenderError::Json)?;
    let xlsx = render::xlsx::render(&loaded.appendix).map_err(RenderError::Xlsx)?;
    let html = render::html::render(&loaded.appendix, &loaded.texts).map_err(RenderError::Html)?;
    let control_xlsx =
        render::xlsx::render_control(&loaded.appendix).map_err(RenderError::ControlXlsx)?;
    Ok(Others {
        control_pdf: control_pdf.bytes,
        json,
        xlsx,
        html,
        control_xlsx,
    })
}

/// Creates the output folder if needed and checks that it can be written, before any work.
fn ensure_writable(dir: &Path) -> Result<(), AppError> {
    fs::create_dir_all(dir).map_err(|source| AppError::OutputFolderMissing {
        dir: dir.to_path_buf(),
        source,
    })?;
    let probe = dir.join(format!(".werkplan-schrijftest-{}", std::process::id()));
    let result = fs::File::create(&probe).and_then(|mut f| f.write_all(b"ok"));
    let _ = fs::remove_file(&probe);
    result.map_err(|source| AppError::OutputFolderReadOnly {
        dir: dir.to_path_buf(),
        source,
    })
}
