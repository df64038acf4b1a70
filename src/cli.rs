//! The command line: `werkplan build` and `werkplan check`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::ingest::limits::Limits;

/// Het financiële hoofdstuk van het werkplan Sociale Agenda (Provincie Drenthe): leest de
/// financiële werkboeken, rekent alle totalen en restbedragen na, controleert wat de
/// werkboeken vermelden en maakt de bijlage Financiën als PDF, XLSX en JSON.
///
/// Exitcodes: 0 gelukt (waarschuwingen toegestaan), 1 invoer niet te verwerken (niets
/// geschreven), 2 verkeerd gebruik, 3 --strict en waarschuwingen (niets geschreven).
#[derive(Debug, Parser)]
#[command(name = "werkplan", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Maak het rapport: PDF, XLSX en JSON in de uitvoermap.
    Build(BuildArgs),
    /// Controleer de invoer en meld de bevindingen; schrijft niets.
    Check(CommonArgs),
}

/// Options of both subcommands.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Map met de financiële werkboeken (.xlsx, .xlsm, .xls, .ods).
    #[arg(long, value_name = "MAP", default_value = "input")]
    pub input: PathBuf,

    /// Peildatum van het rapport (JJJJ-MM-DD); ook de datum van de documenten.
    /// Standaard: 31 december van het laatste jaar met uitgaven in de invoer.
    #[arg(long, value_name = "JJJJ-MM-DD")]
    pub peildatum: Option<String>,

    /// Behandel waarschuwingen als fouten: exitcode 3 en niets geschreven.
    #[arg(long)]
    pub strict: bool,

    /// Druk alleen de bevindingen af, geen voortgang.
    #[arg(long, short)]
    pub quiet: bool,

    /// Grootste werkboek dat gelezen wordt, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = Limits::DEFAULT.max_file_bytes >> 20)]
    pub max_bestand_mib: u64,

    /// Hoeveel een werkboek (een zip-archief) uitgepakt hoogstens mag beslaan, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = Limits::DEFAULT.max_unpacked_bytes >> 20)]
    pub max_uitgepakt_mib: u64,

    /// Hoeveel gevulde cellen een blad hoogstens mag hebben.
    #[arg(long, value_name = "AANTAL", default_value_t = Limits::DEFAULT.max_cells)]
    pub max_cellen: u64,

    /// Hoe groot het bereik van een blad (rijen maal kolommen) hoogstens mag zijn.
    #[arg(long, value_name = "AANTAL", default_value_t = Limits::DEFAULT.max_area)]
    pub max_bereik: u64,

    /// Vorm van de meldingen op stderr.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    // The texts and fonts are options of both commands: `check` reports the characters the
    // PDF's font lacks as `build` does, so `check --strict` stops exactly when `build
    // --strict` would.
    /// Map met eigen handlebars-sjablonen (financien.hbs, controle.hbs) in plaats van de
    /// ingebouwde.
    #[arg(long, value_name = "MAP")]
    pub templates: Option<PathBuf>,

    /// Eigen lettertype (TTF) voor de PDF, bijvoorbeeld de huisstijlletter.
    #[arg(long, value_name = "TTF")]
    pub font: Option<PathBuf>,

    /// Vette variant van het eigen lettertype (TTF); standaard het --font zelf.
    #[arg(long, value_name = "TTF", requires = "font")]
    pub font_bold: Option<PathBuf>,
}

impl CommonArgs {
    /// The resource limits these options set.
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_bestand_mib.saturating_mul(1 << 20),
            max_unpacked_bytes: self.max_uitgepakt_mib.saturating_mul(1 << 20),
            max_cells: self.max_cellen,
            max_area: self.max_bereik,
        }
    }
}

/// Options of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The shared options.
    #[command(flatten)]
    pub common: CommonArgs,

    /// Map waarin het rapport komt; bestaande rapportbestanden worden pas vervangen als
    /// alles gelukt is.
    #[arg(long, value_name = "MAP", default_value = "output")]
    pub output: PathBuf,
}

/// How messages are written to stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Een regel per melding, plaats voorop.
    Text,
    /// Een JSON-object per regel, voor een logverzamelaar.
    Json,
}

/// A usage error in Dutch, naming the argument and value clap found; `--help` and
/// `--version` are no errors.
pub fn usage_message(error: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let what = match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::InvalidSubcommand => "onbekende opdracht; kies build of check",
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "geef een opdracht: build of check"
        }
        ErrorKind::UnknownArgument => "onbekende optie",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "ongeldige waarde",
        ErrorKind::MissingRequiredArgument => "een verplichte optie ontbreekt",
        ErrorKind::ArgumentConflict => "deze opties gaan niet samen",
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            "verkeerd aantal waarden"
        }
        _ => "verkeerd gebruik van de opdrachtregel",
    };
    let context = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(", ")),
        _ => None,
    };
    let mut message = format!("fout: {what}");
    if let Some(arg) =
        context(ContextKind::InvalidArg).or_else(|| context(ContextKind::InvalidSubcommand))
    {
        message.push_str(&format!(": {arg}"));
    }
    if let Some(value) = context(ContextKind::InvalidValue) {
        message.push_str(&format!(" ‘{value}’"));
    }
    message.push_str("; zie werkplan --help");
    Some(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn usage_errors_are_dutch() {
        let err = Cli::try_parse_from(["werkplan", "bouw"]).unwrap_err();
        assert_eq!(
            usage_message(&err).unwrap(),
            "fout: onbekende opdracht; kies build of check: bouw; zie werkplan --help"
        );
        let err = Cli::try_parse_from(["werkplan", "build", "--log-format", "xml"]).unwrap_err();
        let message = usage_message(&err).unwrap();
        assert!(
            message.starts_with("fout: ongeldige waarde: --log-format"),
            "{message}"
        );
        assert!(message.contains("‘xml’"), "{message}");
        let err = Cli::try_parse_from(["werkplan", "--help"]).unwrap_err();
        assert_eq!(usage_message(&err), None);
    }

    #[test]
    fn defaults() {
        let cli = Cli::try_parse_from(["werkplan", "build"]).unwrap();
        let Command::Build(args) = cli.command else {
            panic!("build")
        };
        assert_eq!(args.common.input, PathBuf::from("input"));
        assert_eq!(args.output, PathBuf::from("output"));
        assert!(!args.common.strict);
    }
}
