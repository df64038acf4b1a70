//! The application: checked configuration, the pipeline's stages in order, and the only
//! place that writes files.
//!
//! Outputs are rendered completely in memory, written to temporary files in the output
//! folder and renamed into place only when every one of them succeeded, so a failed run
//! leaves the previous report exactly as it was.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{BuildArgs, Cli, Command, CommonArgs, LogFormat};
use crate::compute::{self, Finding, Report, Severity};
use crate::ingest;
use crate::ingest::limits::Limits;
use crate::ingest::read::io_reason;
use crate::model::{Date, Werkplan};
use crate::render::pdf::PdfOptions;
use crate::render::{self, Appendix, TextError, Texts};

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
}

/// Why the pipeline could not produce a report.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The input has errors; every finding (errors and warnings) is here.
    #[error("de invoer bevat {} fout(en)", .0.iter().filter(|f| f.severity == Severity::Fout).count())]
    Input(Vec<Finding>),
    /// A template could not be loaded or rendered.
    #[error(transparent)]
    Template(#[from] TextError),
}

/// The default peildatum: 31 December of the last year with spending in the data, else
/// 1 January of the werkplan's year.
pub fn default_peildatum(werkplan: &Werkplan) -> Date {
    match werkplan.last_spending_year() {
        Some(year) => Date {
            year,
            month: 12,
            day: 31,
        },
        None => Date {
            year: werkplan.year,
            month: 1,
            day: 1,
        },
    }
}

/// Runs ingest, compute and the appendix on one input folder.
///
/// `input` is shown in messages as given. `templates` replaces the built-in texts.
///
/// # Errors
/// Input errors (all of them) or a template error.
pub fn load(
    input: &Path,
    peildatum: Option<Date>,
    templates: Option<&Path>,
) -> Result<Loaded, LoadError> {
    load_with(input, peildatum, templates, &Limits::DEFAULT)
}

/// [`load`] with explicit resource limits.
///
/// # Errors
/// Input errors (all of them) or a template error.
pub fn load_with(
    input: &Path,
    peildatum: Option<Date>,
    templates: Option<&Path>,
    limits: &Limits,
) -> Result<Loaded, LoadError> {
    let texts = Texts::load(templates)?;
    let shown = input.to_string_lossy().into_owned();
    let ingested = ingest::ingest(input, &shown, limits).map_err(LoadError::Input)?;
    let peildatum = peildatum.unwrap_or_else(|| default_peildatum(&ingested.werkplan));
    let mut report = compute::compute(&ingested.werkplan, peildatum);
    report.findings.splice(0..0, ingested.warnings);
    if report.errors().next().is_some() {
        return Err(LoadError::Input(report.findings));
    }
    let appendix = Appendix::build(&report, &texts)?;
    Ok(Loaded {
        werkplan: ingested.werkplan,
        report,
        appendix,
    })
}

/// The file name of the report for a year, without extension: `financien-werkplan-2022`.
pub fn report_stem(year: i32) -> String {
    format!("financien-werkplan-{year}")
}

/// Runs the command line.
pub fn run(cli: Cli) -> Outcome {
    match cli.command {
        Command::Build(args) => build(&args),
        Command::Check(args) => check(&args),
    }
}

/// Writes messages to stderr in the chosen format.
struct Log {
    format: LogFormat,
    quiet: bool,
}

impl Log {
    fn new(common: &CommonArgs) -> Log {
        Log {
            format: common.log_format,
            quiet: common.quiet,
        }
    }

    /// Writes findings, at most [`MAX_FINDINGS_SHOWN`], then a count of the rest.
    fn findings(&self, findings: &[Finding]) {
        for finding in findings.iter().take(MAX_FINDINGS_SHOWN) {
            self.finding(finding);
        }
        if findings.len() > MAX_FINDINGS_SHOWN {
            let rest = findings.len() - MAX_FINDINGS_SHOWN;
            let errors = findings[MAX_FINDINGS_SHOWN..]
                .iter()
                .filter(|f| f.severity == Severity::Fout)
                .count();
            self.error(&format!(
                "en nog {rest} bevinding(en), waarvan {errors} fout(en), niet getoond"
            ));
        }
    }

    fn finding(&self, finding: &Finding) {
        let line = match self.format {
            LogFormat::Text => format!("{finding} [{}]", finding.severity.word()),
            LogFormat::Json => {
                serde_json::json!({"soort": "bevinding", "bevinding": finding}).to_string()
            }
        };
        eprintln!("{line}");
    }

    fn info(&self, message: &str) {
        if self.quiet {
            return;
        }
        match self.format {
            LogFormat::Text => eprintln!("{message}"),
            LogFormat::Json => eprintln!(
                "{}",
                serde_json::json!({"soort": "melding", "melding": message})
            ),
        }
    }

    fn error(&self, message: &str) {
        match self.format {
            LogFormat::Text => eprintln!("fout: {message}"),
            LogFormat::Json => eprintln!(
                "{}",
                serde_json::json!({"soort": "fout", "melding": message})
            ),
        }
    }

    /// A warning from rendering (a character the PDF's font lacks), also with `--quiet`.
    fn warning(&self, message: &str) {
        match self.format {
            LogFormat::Text => eprintln!("{message} [waarschuwing]"),
            LogFormat::Json => eprintln!(
                "{}",
                serde_json::json!({"soort": "waarschuwing", "melding": message})
            ),
        }
    }
}

fn parse_peildatum(common: &CommonArgs, log: &Log) -> Result<Option<Date>, Outcome> {
    match &common.peildatum {
        None => Ok(None),
        Some(text) => match Date::parse_iso(text) {
            Some(date) => Ok(Some(date)),
            None => {
                log.error(&format!("--peildatum ‘{text}’ is geen geldige datum; verwacht JJJJ-MM-DD, bijvoorbeeld 2022-12-31"));
                Err(Outcome::Usage)
            }
        },
    }
}

/// Loads and reports the findings; `Err` is the outcome when there is nothing to write.
fn load_and_report(
    common: &CommonArgs,
    templates: Option<&Path>,
    log: &Log,
) -> Result<Loaded, Outcome> {
    let peildatum = parse_peildatum(common, log)?;
    match load_with(&common.input, peildatum, templates, &common.limits()) {
        Ok(loaded) => {
            log.findings(&loaded.report.findings);
            let checks = loaded.report.checks;
            log.info(&format!(
                "{} controles, {} in orde; {} waarschuwing(en)",
                checks.total,
                checks.passed,
                loaded.report.warnings().count()
            ));
            if common.strict && loaded.report.warnings().next().is_some() {
                log.error("--strict: er zijn waarschuwingen, er is niets geschreven");
                return Err(Outcome::StrictWarnings);
            }
            Ok(loaded)
        }
        Err(LoadError::Input(findings)) => {
            log.findings(&findings);
            let errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Fout)
                .count();
            log.error(&format!(
                "de invoer bevat {errors} fout(en); er is niets geschreven"
            ));
            Err(Outcome::Failed)
        }
        Err(LoadError::Template(e)) => {
            log.error(&format!("{e}; er is niets geschreven"));
            Err(Outcome::Failed)
        }
    }
}

fn check(common: &CommonArgs) -> Outcome {
    let log = Log::new(common);
    match load_and_report(common, None, &log) {
        Ok(_) => Outcome::Ok,
        Err(outcome) => outcome,
    }
}

fn build(args: &BuildArgs) -> Outcome {
    let log = Log::new(&args.common);
    // the command line is checked completely before anything is created or read
    if let Err(outcome) = parse_peildatum(&args.common, &log) {
        return outcome;
    }
    if same_folder(&args.common.input, &args.output) {
        log.error(&format!(
            "--input en --output zijn dezelfde map ({}); het rapport zou de volgende keer als invoer worden gelezen",
            args.output.display()
        ));
        return Outcome::Usage;
    }
    let pdf_options = match pdf_options(args) {
        Ok(options) => options,
        Err(message) => {
            log.error(&message);
            return Outcome::Failed;
        }
    };
    if let Err(message) = ensure_writable(&args.output) {
        log.error(&message);
        return Outcome::Failed;
    }
    let _lock = match OutputLock::acquire(&args.output) {
        Ok(lock) => lock,
        Err(message) => {
            log.error(&message);
            return Outcome::Failed;
        }
    };
    for note in recover_interrupted(&args.output) {
        log.info(&note);
    }
    let loaded = match load_and_report(&args.common, args.templates.as_deref(), &log) {
        Ok(loaded) => loaded,
        Err(outcome) => return outcome,
    };
    let (outputs, warnings) = match render_all(&loaded, &pdf_options) {
        Ok(rendered) => rendered,
        Err(message) => {
            log.error(&format!("{message}; er is niets geschreven"));
            return Outcome::Failed;
        }
    };
    for warning in &warnings {
        log.warning(warning);
    }
    if args.common.strict && !warnings.is_empty() {
        log.error("--strict: er zijn waarschuwingen, er is niets geschreven");
        return Outcome::StrictWarnings;
    }
    match write_atomically(&args.output, &outputs) {
        Ok(paths) => {
            for path in paths {
                log.info(&format!("geschreven: {}", path.display()));
            }
            Outcome::Ok
        }
        Err(message) => {
            log.error(&format!("{message}; het vorige rapport is ongewijzigd"));
            Outcome::Failed
        }
    }
}

/// An output in memory: (file name, bytes).
type OutputFile = (String, Vec<u8>);

/// Renders every output in memory, with the renderers' warnings (characters the PDF's font
/// lacks).
fn render_all(loaded: &Loaded, pdf: &PdfOptions) -> Result<(Vec<OutputFile>, Vec<String>), String> {
    let stem = report_stem(loaded.report.year);
    let json = render::json::render(&loaded.werkplan, &loaded.report, &loaded.appendix.tables)
        .map_err(|e| format!("JSON kon niet worden gemaakt: {e}"))?;
    let xlsx = render::xlsx::render(&loaded.appendix)
        .map_err(|e| format!("XLSX kon niet worden gemaakt: {e}"))?;
    let pdf = render::pdf::render(&loaded.appendix, pdf)
        .map_err(|e| format!("PDF kon niet worden gemaakt: {e}"))?;
    Ok((
        vec![
            (format!("{stem}.json"), json),
            (format!("{stem}.xlsx"), xlsx),
            (format!("{stem}.pdf"), pdf.bytes),
        ],
        pdf.warnings,
    ))
}

/// The PDF's fonts: `--font` and `--font-bold` read before any work (the bold face is the
/// regular one when only `--font` is given).
fn pdf_options(args: &BuildArgs) -> Result<PdfOptions, String> {
    let read = |path: &Path| {
        fs::read(path).map_err(|e| {
            format!(
                "{}: het lettertype kan niet worden gelezen: {}",
                path.display(),
                io_reason(&e)
            )
        })
    };
    let font_regular = args.font.as_deref().map(read).transpose()?;
    let font_bold = match args.font_bold.as_deref() {
        Some(path) => Some(read(path)?),
        None => font_regular.clone(),
    };
    Ok(PdfOptions {
        font_regular,
        font_bold,
    })
}

/// Creates the output folder if needed and checks that it can be written, before any work.
fn ensure_writable(dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| {
        format!(
            "{}: de uitvoermap kan niet worden gemaakt: {}",
            dir.display(),
            io_reason(&e)
        )
    })?;
    let probe = dir.join(format!(".werkplan-schrijftest-{}", std::process::id()));
    let result = fs::File::create(&probe).and_then(|mut f| f.write_all(b"ok"));
    let _ = fs::remove_file(&probe);
    result.map_err(|e| {
        format!(
            "{}: in de uitvoermap kan niet worden geschreven: {}",
            dir.display(),
            io_reason(&e)
        )
    })
}

/// Whether two paths are the same folder (both existing, after resolving links).
fn same_folder(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Writes every output to a temporary file in `dir`, then puts them all in place as one
/// step: existing reports are first moved aside, and if any rename fails every file is put
/// back, so the folder holds either the complete new report or the complete old one.
fn write_atomically(dir: &Path, outputs: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, String> {
    let pid = std::process::id();
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    let remove_all = |paths: &mut dyn Iterator<Item = &PathBuf>| {
        for path in paths {
            let _ = fs::remove_file(path);
        }
    };
    for (name, bytes) in outputs {
        let temp = dir.join(format!(".{name}.tmp-{pid}"));
        let written = fs::File::create(&temp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        temps.push((temp.clone(), dir.join(name)));
        if let Err(e) = written {
            remove_all(&mut temps.iter().map(|(t, _)| t));
            return Err(format!(
                "{}: kan niet worden geschreven: {}",
                temp.display(),
                io_reason(&e)
            ));
        }
    }
    // a folder where a report file belongs is not ours to move
    if let Some((_, target)) = temps.iter().find(|(_, target)| target.is_dir()) {
        remove_all(&mut temps.iter().map(|(t, _)| t));
        return Err(format!(
            "{}: hier staat een map waar het rapportbestand hoort",
            target.display()
        ));
    }
    // move the old report aside
    let mut backups: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut failure = None;
    for (_, target) in &temps {
        if fs::symlink_metadata(target).is_err() {
            continue;
        }
        let backup = backup_name(target, pid);
        match fs::rename(target, &backup) {
            Ok(()) => backups.push((backup, target.clone())),
            Err(e) => {
                failure = Some(format!(
                    "{}: kan niet worden vervangen: {}",
                    target.display(),
                    io_reason(&e)
                ));
                break;
            }
        }
    }
    // put the new one in place
    let mut placed: Vec<PathBuf> = Vec::new();
    if failure.is_none() {
        for (temp, target) in &temps {
            match fs::rename(temp, target) {
                Ok(()) => placed.push(target.clone()),
                Err(e) => {
                    failure = Some(format!(
                        "{}: kan niet worden vervangen: {}",
                        target.display(),
                        io_reason(&e)
                    ));
                    break;
                }
            }
        }
    }
    if let Some(message) = failure {
        remove_all(&mut placed.iter());
        for (backup, target) in &backups {
            let _ = fs::rename(backup, target);
        }
        remove_all(&mut temps.iter().map(|(t, _)| t));
        return Err(message);
    }
    // the new report is complete: from here on a recovery keeps it
    let done = dir.join(format!(".werkplan.klaar-{pid}"));
    let _ = fs::write(&done, b"");
    remove_all(&mut backups.iter().map(|(b, _)| b));
    let _ = fs::remove_file(&done);
    Ok(placed)
}

/// Cleans up after a run that was killed while writing (the lock is ours now, so no run is
/// busy here): its temporary files are removed, and a previous report it had moved aside is
/// put back where the new one never arrived. Returns what it did, for the log.
fn recover_interrupted(dir: &Path) -> Vec<String> {
    let mut notes = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return notes;
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // (hidden name, original name, kind, pid) of every leftover of a process that is gone
    let leftovers: Vec<(String, String, &str, u32)> = names
        .iter()
        .filter_map(|name| {
            let hidden = name.strip_prefix('.')?;
            [".tmp-", ".vorige-"].iter().find_map(|marker| {
                let (original, pid) = hidden.rsplit_once(marker)?;
                let pid: u32 = pid.parse().ok()?;
                Some((name.clone(), original.to_string(), *marker, pid))
            })
        })
        .filter(|(_, _, _, pid)| !process_alive(*pid))
        .collect();
    let finished = |pid: u32| dir.join(format!(".werkplan.klaar-{pid}")).exists();
    for (name, original, marker, pid) in &leftovers {
        let path = dir.join(name);
        let target = dir.join(original);
        // a run that had put its new report in place keeps it; one that had not gets the
        // previous report back, all of it
        if *marker == ".vorige-" && !finished(*pid) && fs::rename(&path, &target).is_ok() {
            notes.push(format!(
                "{}: teruggezet na een afgebroken run",
                target.display()
            ));
        } else if fs::remove_file(&path).is_ok() {
            notes.push(format!(
                "{}: opgeruimd na een afgebroken run",
                path.display()
            ));
        }
    }
    for name in names.iter().filter(|n| n.starts_with(".werkplan.klaar-")) {
        let pid = name
            .trim_start_matches(".werkplan.klaar-")
            .parse::<u32>()
            .unwrap_or(0);
        if !process_alive(pid) {
            let _ = fs::remove_file(dir.join(name));
        }
    }
    notes
}

/// `output/.financien-werkplan-2022.pdf.vorige-<pid>`
fn backup_name(target: &Path, pid: u32) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.vorige-{pid}"))
}

/// The name of the lock file in the output folder.
pub const LOCK_FILE: &str = ".werkplan.lock";

/// A lock on an output folder, so two runs never write the same report at once. The lock
/// file holds the process id; a lock whose process is gone is stale and taken over. The
/// file is removed when the lock is dropped.
struct OutputLock {
    path: PathBuf,
}

impl OutputLock {
    fn acquire(dir: &Path) -> Result<OutputLock, String> {
        let path = dir.join(LOCK_FILE);
        let pid = std::process::id();
        // the lock appears with its process id in it, or not at all: written aside, then
        // linked into place, which fails when a lock is there
        let staged = dir.join(format!("{LOCK_FILE}.{pid}"));
        fs::write(&staged, format!("{}\n", process_identity(pid))).map_err(|e| {
            format!(
                "{}: het slot kan niet worden gemaakt: {}",
                path.display(),
                io_reason(&e)
            )
        })?;
        let result = (|| {
            for _ in 0..3 {
                match fs::hard_link(&staged, &path) {
                    Ok(()) => return Ok(OutputLock { path: path.clone() }),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        let text = fs::read_to_string(&path).unwrap_or_default();
                        match holder_alive(&text) {
                            Some(holder) => {
                                return Err(format!(
                                    "{}: een andere werkplan-run (proces {holder}) schrijft in deze uitvoermap; wacht tot die klaar is",
                                    dir.display()
                                ));
                            }
                            // stale: its process is gone; remove it only if it is still that one
                            _ => {
                                if fs::read_to_string(&path).unwrap_or_default() == text {
                                    let _ = fs::remove_file(&path);
                                }
                            }
                        }
                    }
                    Err(e) => {
                        return Err(format!(
                            "{}: het slot kan niet worden gemaakt: {}",
                            path.display(),
                            io_reason(&e)
                        ));
                    }
                }
            }
            Err(format!(
                "{}: het slot kan niet worden verkregen",
                path.display()
            ))
        })();
        let _ = fs::remove_file(&staged);
        result
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // remove the lock only if it is still ours
        let ours = fs::read_to_string(&self.path)
            .is_ok_and(|t| t.trim() == process_identity(std::process::id()));
        if ours {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A process as the lock records it: `<pid> <start time>` on Linux (the start time in
/// clock ticks since boot, from `/proc/<pid>/stat`), so a reused process id is not mistaken
/// for the run that took the lock; elsewhere `<pid>`.
fn process_identity(pid: u32) -> String {
    match process_start(pid) {
        Some(start) => format!("{pid} {start}"),
        None => pid.to_string(),
    }
}

/// Field 22 of `/proc/<pid>/stat`: when the process started.
fn process_start(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // the command name (field 2) may hold spaces; the fields after it are plain
    let after_name = stat.rsplit_once(')')?.1;
    after_name.split_whitespace().nth(19)?.parse().ok()
}

/// The process id of a lock's holder, if that very process still runs.
fn holder_alive(lock: &str) -> Option<u32> {
    let mut words = lock.split_whitespace();
    let pid: u32 = words.next()?.parse().ok()?;
    if !process_alive(pid) {
        return None;
    }
    match (
        words.next().and_then(|w| w.parse::<u64>().ok()),
        process_start(pid),
    ) {
        (Some(recorded), Some(now)) if recorded != now => None, // the id was reused
        _ => Some(pid),
    }
}

/// Whether a process with this id is running (Linux: `/proc/<pid>`; elsewhere assumed).
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if proc.is_dir() {
        proc.join(pid.to_string()).exists()
    } else {
        true
    }
}
