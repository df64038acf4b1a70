//! Messages on stderr: findings, notes and errors, as text lines or JSON objects.
//!
//! A text message is always one line: a line break in it (from a cell's text) is written
//! as `\n` (`\r` for a carriage return), so every line of the log is one message.
//! Backslashes are left alone: Windows paths stay readable.
//!
//! Places in the model name a file relative to its folder (the input folder, the templates
//! folder); the operator reads them as given on the command line
//! (`input/werkplan-2022.xlsx › Reguliere middelen › F31`), so the log puts the folder back
//! in front ([`Roots`]). The outputs never see it.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{CommonArgs, LogFormat};
use crate::compute::{Finding, Severity};
use crate::ingest::ledger::Progress;
use crate::model::{Date, Ledger, LedgerSums, Name, Origin, Place};

use super::MAX_FINDINGS_SHOWN;

/// Writes messages to stderr in the chosen format.
pub(crate) struct Log {
    format: LogFormat,
    quiet: bool,
    roots: Roots,
}

/// The folders and files as given on the command line, to show a place as the operator
/// named it.
pub(crate) struct Roots {
    /// `--input` as given.
    input: String,
    /// `--templates` as given.
    templates: Option<PathBuf>,
    /// `--font` (and `--font-bold`) as given: `a.ttf` or `a.ttf en b.ttf`.
    font: Option<String>,
}

impl Roots {
    pub(crate) fn new(common: &CommonArgs) -> Roots {
        Roots {
            input: common.input.to_string_lossy().into_owned(),
            templates: common.templates.clone(),
            font: common.font.as_ref().map(|regular| match &common.font_bold {
                Some(bold) => format!("{} en {}", regular.display(), bold.display()),
                None => regular.display().to_string(),
            }),
        }
    }

    /// The place with its file as the operator named it: the input folder in front of an
    /// input file's name (nothing in front for `.` or an empty folder), the templates folder
    /// in front of a template's, the font paths for the font.
    pub(crate) fn shown(&self, place: &Place) -> Place {
        let file = match place.origin {
            Origin::Invoer => join_shown(&self.input, &place.file),
            Origin::Sjablonen => match &self.templates {
                Some(dir) => dir.join(&*place.file).display().to_string(),
                None => place.file.to_string(),
            },
            Origin::Lettertype => self.font.clone().unwrap_or_else(|| place.file.to_string()),
            Origin::Ingebouwd => place.file.to_string(),
        };
        Place {
            file: Name::from(file.as_str()),
            ..place.clone()
        }
    }
}

/// `dir/name` as the reader of input files names it; `dir` alone for the folder itself.
fn join_shown(dir: &str, name: &str) -> String {
    if name.is_empty() {
        dir.to_string()
    } else if dir.is_empty() || dir == "." {
        name.to_string()
    } else {
        format!("{}/{name}", dir.trim_end_matches('/'))
    }
}

impl Log {
    pub(crate) fn new(common: &CommonArgs) -> Log {
        Log {
            format: common.log_format,
            quiet: common.quiet,
            roots: Roots::new(common),
        }
    }

    /// Writes findings, at most [`MAX_FINDINGS_SHOWN`], then a count of the rest.
    pub(crate) fn findings(&self, findings: &[Finding]) {
        for finding in findings.iter().take(MAX_FINDINGS_SHOWN) {
            self.finding(finding);
        }
        if findings.len() > MAX_FINDINGS_SHOWN {
            let rest = findings.len() - MAX_FINDINGS_SHOWN;
            let errors =
                Finding::with_severity(&findings[MAX_FINDINGS_SHOWN..], Severity::Fout).count();
            self.error(&format!(
                "en nog {rest} bevinding(en), waarvan {errors} fout(en), niet getoond"
            ));
        }
    }

    pub(crate) fn finding(&self, finding: &Finding) {
        let finding = &Finding {
            place: self.roots.shown(&finding.place),
            ..finding.clone()
        };
        let line = match self.format {
            LogFormat::Text => one_line(&format!("{finding} [{}]", finding.severity.word())),
            LogFormat::Json => {
                serde_json::json!({"soort": "bevinding", "bevinding": finding}).to_string()
            }
        };
        eprintln!("{line}");
    }

    /// How the reading of ledger sheets is shown: a progress bar on a terminal (after a
    /// second), one JSON line per sheet with `--log-format json`; nothing with `--quiet`
    /// or when stderr is not a terminal.
    pub(crate) fn progress(&self) -> Option<ReadProgress> {
        if self.quiet {
            return None;
        }
        match self.format {
            LogFormat::Json => Some(ReadProgress::new(false)),
            LogFormat::Text if std::io::stderr().is_terminal() => Some(ReadProgress::new(true)),
            LogFormat::Text => None,
        }
    }

    /// What the ledger and register held: rows read, from how many sheets.
    pub(crate) fn ledger_summary(&self, ledger: &Ledger, peildatum: Date) {
        let kinds = [
            (&ledger.bookings, "boekingen"),
            (&ledger.commitments, "verplichtingen"),
        ];
        for (sums, what) in kinds {
            if let Some(sums) = sums {
                for line in summary_lines(sums, peildatum, what) {
                    self.info(&line);
                }
            }
        }
    }

    pub(crate) fn info(&self, message: &str) {
        if self.quiet {
            return;
        }
        match self.format {
            LogFormat::Text => eprintln!("{}", one_line(message)),
            LogFormat::Json => eprintln!(
                "{}",
                serde_json::json!({"soort": "melding", "melding": message})
            ),
        }
    }

    pub(crate) fn error(&self, message: &str) {
        match self.format {
            LogFormat::Text => eprintln!("fout: {}", one_line(message)),
            LogFormat::Json => eprintln!(
                "{}",
                serde_json::json!({"soort": "fout", "melding": message})
            ),
        }
    }
}

/// The summary of one kind of ledger: rows read (what the peildatum left out, per
/// instrument, is the appendix's sentence, printed with the checks).
fn summary_lines(sums: &LedgerSums, peildatum: Date, what: &str) -> Vec<String> {
    let rows: u64 = sums.sources.iter().map(|s| s.rows).sum();
    vec![format!(
        "{what}: {rows} rij(en) gelezen uit {} blad(en) of bestand(en); peildatum {}",
        sums.sources.len(),
        peildatum.to_dutch()
    )]
}

/// Shows how far the reading of a ledger sheet got (see [`Log::progress`]).
pub(crate) struct ReadProgress {
    /// A bar on the terminal (else one JSON line per sheet).
    terminal: bool,
    started: Instant,
    label: String,
    bar: Option<ProgressBar>,
}

/// How long a read goes before a bar appears.
const QUIET_TIME: Duration = Duration::from_secs(1);

impl ReadProgress {
    fn new(terminal: bool) -> ReadProgress {
        ReadProgress {
            terminal,
            started: Instant::now(),
            label: String::new(),
            bar: None,
        }
    }
}

impl Progress for ReadProgress {
    fn start(&mut self, file: &str, sheet: &str) {
        self.started = Instant::now();
        self.label = format!("{file} › {sheet}");
    }

    fn rows(&mut self, rows: u64) {
        if !self.terminal {
            return;
        }
        if self.bar.is_none() && self.started.elapsed() >= QUIET_TIME {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} {msg}: {human_pos} rijen gelezen ({elapsed})",
            ) {
                bar.set_style(style);
            }
            bar.set_message(self.label.clone());
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(rows);
        }
    }

    fn finish(&mut self, file: &str, sheet: &str, rows: u64) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if !self.terminal {
            let line = serde_json::json!({"soort": "voortgang", "bestand": file, "blad": sheet, "rijen": rows});
            eprintln!("{line}");
        }
    }
}

/// A message on one line: a line feed written as `\n`, a carriage return as `\r`.
fn one_line(message: &str) -> String {
    let mut line = String::with_capacity(message.len());
    for c in message.chars() {
        match c {
            '\n' => line.push_str("\\n"),
            '\r' => line.push_str("\\r"),
            c => line.push(c),
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::{Roots, one_line};
    use crate::model::{Origin, Place};

    fn roots(input: &str) -> Roots {
        Roots {
            input: input.to_string(),
            templates: Some(PathBuf::from("/srv/sjablonen")),
            font: Some("/srv/huisstijl/Regular.ttf en /srv/huisstijl/Bold.ttf".to_string()),
        }
    }

    #[test]
    fn a_place_is_shown_with_the_folder_as_given() {
        let cell = Place::cell("werkplan-2022.xlsx", "Reguliere middelen", 30, 5);
        let shown = |input: &str, place: &Place| roots(input).shown(place).to_string();
        assert_eq!(
            shown("input", &cell),
            "input/werkplan-2022.xlsx › Reguliere middelen › F31"
        );
        assert_eq!(
            shown("/data/financien/", &cell),
            "/data/financien/werkplan-2022.xlsx › Reguliere middelen › F31"
        );
        assert_eq!(
            shown(".", &cell),
            "werkplan-2022.xlsx › Reguliere middelen › F31"
        );
        // the input folder itself
        assert_eq!(
            shown("/data/financien", &Place::file("")),
            "/data/financien"
        );
        // a replacement template, the fonts, something built in
        let template = Place::outside(Origin::Sjablonen, "controle.hbs");
        assert_eq!(shown("input", &template), "/srv/sjablonen/controle.hbs");
        let font = Place::outside(Origin::Lettertype, "Regular.ttf en Bold.ttf");
        assert_eq!(
            shown("input", &font),
            "/srv/huisstijl/Regular.ttf en /srv/huisstijl/Bold.ttf"
        );
        let built_in = Place::outside(Origin::Ingebouwd, "ingebouwd sjabloon controle.hbs");
        assert_eq!(shown("input", &built_in), "ingebouwd sjabloon controle.hbs");
    }

    #[test]
    fn line_breaks_are_escaped() {
        assert_eq!(one_line("a\nb\r\nc"), "a\\nb\\r\\nc");
        assert_eq!(one_line("C:\\werkplan\\uit"), "C:\\werkplan\\uit");
        assert_eq!(one_line("€ 1.234,56"), "€ 1.234,56");
    }
}
