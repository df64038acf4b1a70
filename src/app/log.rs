//! Messages on stderr: findings, notes and errors, as text lines or JSON objects.
//!
//! A text message is always one line: a line break in it (from a cell's text) is written
//! as `\n` (`\r` for a carriage return), so every line of the log is one message.
//! Backslashes are left alone: Windows paths stay readable.

use crate::cli::{CommonArgs, LogFormat};
use crate::compute::{Finding, Severity};

use super::MAX_FINDINGS_SHOWN;

/// Writes messages to stderr in the chosen format.
pub(crate) struct Log {
    format: LogFormat,
    quiet: bool,
}

impl Log {
    pub(crate) fn new(common: &CommonArgs) -> Log {
        Log {
            format: common.log_format,
            quiet: common.quiet,
        }
    }

    /// Writes findings, at most [`MAX_FINDINGS_SHOWN`], then a count of the rest.
    pub(crate) fn findings(&self, findings: &[Finding]) {
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

    pub(crate) fn finding(&self, finding: &Finding) {
        let line = match self.format {
            LogFormat::Text => one_line(&format!("{finding} [{}]", finding.severity.word())),
            LogFormat::Json => {
                serde_json::json!({"soort": "bevinding", "bevinding": finding}).to_string()
            }
        };
        eprintln!("{line}");
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
    use super::one_line;

    #[test]
    fn line_breaks_are_escaped() {
        assert_eq!(one_line("a\nb\r\nc"), "a\\nb\\r\\nc");
        assert_eq!(one_line("C:\\werkplan\\uit"), "C:\\werkplan\\uit");
        assert_eq!(one_line("€ 1.234,56"), "€ 1.234,56");
    }
}
