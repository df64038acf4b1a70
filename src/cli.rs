//! The command line: `werkplan build` and `werkplan check`, and the installation helpers
//! `werkplan completions` and `werkplan man`.
//!
//! clap has no translations, so the Dutch help is made here: [`command`] takes the derived
//! definition and replaces every English word clap would print (headings, the usage line,
//! the help and version flags, `[default: …]`, `[possible values: …]`) by its Dutch
//! counterpart, and [`usage_message`] rewrites clap's errors, keeping its suggestions and the
//! valid values.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

use clap::builder::StyledStr;
use clap::{Arg, ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::ingest::limits::Limits;

/// Het financiële hoofdstuk van het werkplan Sociale Agenda (Provincie Drenthe): leest de
/// financiële werkboeken, rekent alle totalen en restbedragen na, controleert wat de
/// werkboeken vermelden en maakt de bijlage Financiën als PDF, XLSX en JSON.
#[derive(Debug, Parser)]
#[command(name = "werkplan", version)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The exit codes, under every command's help (`-h` and `--help`).
const EXIT_CODES: &str = "\
Exitcodes:
  0  gelukt (waarschuwingen toegestaan)
  1  invoer niet te verwerken of uitvoer niet te schrijven (niets geschreven)
  2  verkeerd gebruik van de opdrachtregel
  3  --strict en waarschuwingen (niets geschreven)";

/// clap's help layout with the English `Usage:` replaced.
const HELP_TEMPLATE: &str =
    "{before-help}{about-with-newline}\nGebruik: {usage}\n\n{all-args}{after-help}";

/// The heading of the options in the help.
const OPTIONS_HEADING: &str = "Opties";

/// The heading of the positional arguments in the help.
const ARGUMENTS_HEADING: &str = "Argumenten";

/// The clap definition with Dutch help: what `werkplan` parses with, and what the shell
/// completions and the man pages are generated from.
pub fn command() -> clap::Command {
    dutch(Cli::command(), None)
}

/// Parses the process's arguments with the Dutch definition.
///
/// # Errors
/// A usage error, or `--help`/`--version` (see [`usage_message`]).
pub fn parse() -> Result<Cli, clap::Error> {
    parse_from(std::env::args_os())
}

/// Parses `args` (the program name first) with the Dutch definition.
///
/// # Errors
/// A usage error, or `--help`/`--version` (see [`usage_message`]).
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = command().try_get_matches_from(args)?;
    Cli::from_arg_matches(&matches)
}

/// Makes `cmd` and its subcommands speak Dutch; `parent` is the usage path above it.
fn dutch(cmd: clap::Command, parent: Option<&str>) -> clap::Command {
    let path = match parent {
        Some(parent) => format!("{parent} {}", cmd.get_name()),
        None => cmd.get_name().to_string(),
    };
    let mut usage = path.clone();
    if cmd.has_subcommands() {
        usage.push_str(" <OPDRACHT>");
    }
    usage.push_str(" [OPTIES]");
    for positional in cmd.get_positionals() {
        let name = positional
            .get_value_names()
            .and_then(|names| names.first())
            .map_or_else(|| positional.get_id().to_string(), ToString::to_string);
        if positional.is_required_set() {
            usage.push_str(&format!(" <{name}>"));
        } else {
            usage.push_str(&format!(" [{name}]"));
        }
    }
    let cmd = cmd
        .help_template(HELP_TEMPLATE)
        .override_usage(usage)
        .after_help(EXIT_CODES)
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_help_heading("Opdrachten")
        .subcommand_value_name("OPDRACHT")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .mut_args(dutch_arg)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Toon deze hulp (-h beknopt, --help uitgebreid)")
                .help_heading(OPTIONS_HEADING),
        )
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Toon het versienummer")
                .help_heading(OPTIONS_HEADING),
        );
    cmd.mut_subcommands(|sub| dutch(sub, Some(&path)))
}

/// Puts an argument under a Dutch heading and writes its default and possible values in
/// Dutch into its help, in place of clap's English `[default: …]` and `[possible values: …]`.
fn dutch_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        ARGUMENTS_HEADING
    } else {
        OPTIONS_HEADING
    };
    let mut arg = if arg.get_help_heading().is_none() {
        arg.help_heading(heading)
    } else {
        arg
    };
    if !arg.get_action().takes_values() {
        return arg;
    }
    let help = arg.get_help().map(StyledStr::to_string).unwrap_or_default();
    let long_help = arg.get_long_help().map(StyledStr::to_string);
    let mut short_notes = Vec::new();
    let mut long_notes = Vec::new();

    let values: Vec<_> = arg
        .get_possible_values()
        .into_iter()
        .filter(|value| !value.is_hide_set())
        .collect();
    if !values.is_empty() && !arg.is_hide_possible_values_set() {
        let names: Vec<&str> = values.iter().map(|value| value.get_name()).collect();
        short_notes.push(format!("[mogelijke waarden: {}]", names.join(", ")));
        if values.iter().any(|value| value.get_help().is_some()) {
            let mut list = String::from("Mogelijke waarden:");
            for value in &values {
                list.push_str(&format!("\n- {}", value.get_name()));
                if let Some(help) = value.get_help() {
                    list.push_str(&format!(": {help}"));
                }
            }
            long_notes.push(list);
        } else {
            long_notes.push(format!("[mogelijke waarden: {}]", names.join(", ")));
        }
        arg = arg.hide_possible_values(true);
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|value| value.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() {
        let note = format!("[standaard: {}]", defaults.join(", "));
        short_notes.push(note.clone());
        long_notes.push(note);
        arg = arg.hide_default_value(true);
    }
    if short_notes.is_empty() {
        return arg;
    }
    let short = format!("{help} {}", short_notes.join(" "));
    let long = format!(
        "{}\n\n{}",
        long_help.unwrap_or(help),
        long_notes.join("\n\n")
    );
    arg.help(short).long_help(long)
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Maak het rapport: PDF, XLSX en JSON in de uitvoermap.
    Build(BuildArgs),
    /// Controleer de invoer en meld de bevindingen; schrijft niets.
    Check(CommonArgs),
    /// Schrijf de aanvulling (tab-completion) voor een shell naar de standaarduitvoer.
    Completions(CompletionsArgs),
    /// Schrijf de man-pagina's van werkplan en zijn opdrachten in een map.
    Man(ManArgs),
}

/// Options of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// De shell waarvoor de aanvulling is.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// Options of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Map waarin de man-pagina's komen (werkplan.1, werkplan-build.1, ...), bijvoorbeeld
    /// /usr/local/share/man/man1.
    #[arg(value_name = "MAP")]
    pub folder: PathBuf,
}

/// The shell completion script for `shell`, generated from the Dutch definition.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "werkplan", &mut script);
    script
}

/// The man pages (section 1) of `werkplan` and each of its commands, by file name, in roff,
/// generated from the Dutch definition.
///
/// # Errors
/// Only if rendering into memory fails.
pub fn man_pages() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = command();
    cmd.build();
    let mut pages = Vec::new();
    man_pages_of(&cmd, &mut pages)?;
    Ok(pages)
}

fn man_pages_of(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> io::Result<()> {
    let man = clap_mangen::Man::new(cmd.clone()).manual("Gebruikersopdrachten");
    let mut roff = Vec::new();
    man.render(&mut roff)?;
    pages.push((man.get_filename(), dutch_man_headings(&roff)));
    for sub in cmd.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        man_pages_of(sub, pages)?;
    }
    Ok(())
}

/// clap_mangen's section headings in Dutch, as Dutch man pages name them; the exit codes
/// (clap_mangen's `EXTRA`, from the `after_help`) keep their lines.
fn dutch_man_headings(roff: &[u8]) -> Vec<u8> {
    const HEADINGS: [(&str, &str); 8] = [
        ("NAME", "NAAM"),
        ("SYNOPSIS", "OVERZICHT"),
        ("DESCRIPTION", "BESCHRIJVING"),
        ("OPTIONS", "OPTIES"),
        ("SUBCOMMANDS", "OPDRACHTEN"),
        ("EXTRA", "EXITCODES"),
        ("VERSION", "VERSIE"),
        ("AUTHORS", "AUTEURS"),
    ];
    let text = String::from_utf8_lossy(roff);
    let mut out = String::with_capacity(text.len());
    let mut in_exit_codes = false;
    for line in text.split_inclusive('\n') {
        let Some(heading) = line.strip_prefix(".SH ").map(str::trim_end) else {
            if !(in_exit_codes && line.trim_end() == "Exitcodes:") {
                out.push_str(line);
            }
            continue;
        };
        if in_exit_codes {
            out.push_str(".fi\n");
        }
        let dutch = HEADINGS
            .iter()
            .find(|(english, _)| *english == heading)
            .map_or_else(|| heading.to_uppercase(), |(_, dutch)| (*dutch).to_string());
        out.push_str(&format!(".SH {dutch}\n"));
        in_exit_codes = heading == "EXTRA";
        if in_exit_codes {
            out.push_str(".nf\n");
        }
    }
    if in_exit_codes {
        out.push_str(".fi\n");
    }
    out.into_bytes()
}

/// Writes the man pages into `folder` (which must exist); returns the files written.
///
/// # Errors
/// The folder is missing or a page cannot be written.
pub fn write_man_pages(folder: &Path) -> io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, page) in man_pages()? {
        let path = folder.join(name);
        std::fs::write(&path, page)?;
        written.push(path);
    }
    Ok(written)
}

/// Options of both subcommands.
// the doc comments are the help text, which writes `<uitvoermap>` as the operator reads it
#[allow(rustdoc::invalid_html_tags)]
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

    /// Hoeveel de bladen met boekingen of verplichtingen van één werkboek uitgepakt
    /// hoogstens mogen beslaan, in MiB (zulke bladen worden gestroomd, niet bewaard;
    /// --max-cellen en --max-uitgepakt-mib gelden er niet voor).
    #[arg(long, value_name = "MIB", default_value_t = Limits::DEFAULT.max_ledger_unpacked_bytes >> 20)]
    pub max_boekingen_mib: u64,

    /// Vorm van de meldingen op stderr.
    #[arg(long, value_enum, value_name = "VORM", default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    // The texts and fonts are options of both commands: `check` reports the characters the
    // PDF's font lacks as `build` does, so `check --strict` stops exactly when `build
    // --strict` would.
    /// Map met eigen handlebars-sjablonen (financien.hbs, controle.hbs, peildatum.hbs) in
    /// plaats van de ingebouwde.
    #[arg(long, value_name = "MAP")]
    pub templates: Option<PathBuf>,

    /// Eigen lettertype (TTF) voor de PDF, bijvoorbeeld de huisstijlletter.
    #[arg(long, value_name = "TTF")]
    pub font: Option<PathBuf>,

    /// Vette variant van het eigen lettertype (TTF); standaard het --font zelf.
    #[arg(long, value_name = "TTF", requires = "font")]
    pub font_bold: Option<PathBuf>,

    /// Vergelijk met een eerder rapport (de JSON, bijvoorbeeld het vastgestelde werkplan)
    /// en voeg de wijzigingen toe; met ‘vorige’: het nieuwste gearchiveerde rapport van vóór de
    /// peildatum in <uitvoermap>/archief (alleen bij build).
    #[arg(long, value_name = "BESTAND")]
    pub basis: Option<PathBuf>,
}

impl CommonArgs {
    /// The resource limits these options set.
    pub fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_bestand_mib.saturating_mul(1 << 20),
            max_unpacked_bytes: self.max_uitgepakt_mib.saturating_mul(1 << 20),
            max_cells: self.max_cellen,
            max_area: self.max_bereik,
            max_ledger_unpacked_bytes: self.max_boekingen_mib.saturating_mul(1 << 20),
        }
    }
}

/// Options of `build`.
// the doc comments are the help text, which writes `<uitvoermap>` as the operator reads it
#[allow(rustdoc::invalid_html_tags)]
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The shared options.
    #[command(flatten)]
    pub common: CommonArgs,

    /// Map waarin het rapport komt; bestaande rapportbestanden worden pas vervangen als
    /// alles gelukt is.
    #[arg(long, value_name = "MAP", default_value = "output")]
    pub output: PathBuf,

    /// Bewaar het rapport ook in <uitvoermap>/archief, met de peildatum in de naam; een
    /// gearchiveerd bestand wordt nooit door een ander vervangen.
    #[arg(long)]
    pub archief: bool,
}

/// How messages are written to stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Een regel per melding, plaats voorop.
    Text,
    /// Een JSON-object per regel, voor een logverzamelaar.
    Json,
}

/// A usage error in Dutch, naming the argument and value clap found, with clap's
/// suggestions (`bedoelde u --strict?`) and the valid values; `--help` and `--version` are
/// no errors.
pub fn usage_message(error: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ErrorKind};
    let what = match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::InvalidSubcommand => "onbekende opdracht",
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return Some(format!(
                "fout: geef een opdracht: {}; zie werkplan --help",
                or_list(&command_names())
            ));
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
    let context = |kind| context_values(error, kind);
    let value = context(ContextKind::InvalidValue);
    let arg = context(ContextKind::InvalidArg);
    let what = match error.kind() {
        // `--peildatum` as the last word: clap reports an empty value
        ErrorKind::InvalidValue if value.iter().all(String::is_empty) => "een waarde ontbreekt",
        ErrorKind::UnknownArgument if arg.iter().all(|a| !a.starts_with('-')) => {
            "onverwacht argument"
        }
        _ => what,
    };
    let mut message = format!("fout: {what}");
    let place = [ContextKind::InvalidArg, ContextKind::InvalidSubcommand]
        .into_iter()
        .map(context)
        .find(|values| !values.is_empty());
    if let Some(place) = place {
        message.push_str(&format!(": {}", place.join(", ")));
    }
    if let Some(value) = value.first().filter(|v| !v.is_empty()) {
        message.push_str(&format!(" ‘{value}’"));
    }
    let suggested: Vec<String> = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .flat_map(context)
    .collect();
    if !suggested.is_empty() {
        message.push_str(&format!("; bedoelde u {}?", or_list(&suggested)));
    }
    let valid = context(ContextKind::ValidValue);
    if !valid.is_empty() {
        message.push_str(&format!("; mogelijke waarden: {}", valid.join(", ")));
    }
    if error.kind() == ErrorKind::InvalidSubcommand && suggested.is_empty() {
        message.push_str(&format!("; kies {}", or_list(&command_names())));
    }
    message.push_str(&format!("; zie {} --help", command_path(error)));
    Some(message)
}

/// The command the error is about (`werkplan build`), from the usage line clap attached.
fn command_path(error: &clap::Error) -> String {
    let usage = match error.get(clap::error::ContextKind::Usage) {
        Some(clap::error::ContextValue::StyledStr(usage)) => usage.to_string(),
        _ => String::new(),
    };
    let words: Vec<&str> = usage
        .split_whitespace()
        .skip_while(|word| *word != "werkplan")
        .take_while(|word| !word.starts_with(['[', '<']))
        .collect();
    if words.is_empty() {
        "werkplan".to_string()
    } else {
        words.join(" ")
    }
}

/// The values clap recorded for `kind` in `error`.
fn context_values(error: &clap::Error, kind: clap::error::ContextKind) -> Vec<String> {
    use clap::error::ContextValue;
    match error.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    }
}

/// The names of the visible commands.
fn command_names() -> Vec<String> {
    command()
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .map(|sub| sub.get_name().to_string())
        .collect()
}

/// `a`, `a of b`, `a, b of c`.
fn or_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} of {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn usage_errors_are_dutch() {
        let err = parse_from(["werkplan", "bouw"]).unwrap_err();
        assert_eq!(
            usage_message(&err).unwrap(),
            "fout: onbekende opdracht: bouw; kies build, check, completions of man; zie werkplan --help"
        );
        let err = parse_from(["werkplan", "build", "--log-format", "xml"]).unwrap_err();
        let message = usage_message(&err).unwrap();
        assert!(
            message.starts_with("fout: ongeldige waarde: --log-format"),
            "{message}"
        );
        assert!(message.contains("‘xml’"), "{message}");
        let err = parse_from(["werkplan", "--help"]).unwrap_err();
        assert_eq!(usage_message(&err), None);
        let err = parse_from(["werkplan", "check", "-h"]).unwrap_err();
        assert_eq!(usage_message(&err), None);
        assert!(err.to_string().contains("Exitcodes:"), "{err}");
    }

    #[test]
    fn defaults() {
        let cli = parse_from(["werkplan", "build"]).unwrap();
        let Command::Build(args) = cli.command else {
            panic!("build")
        };
        assert_eq!(args.common.input, PathBuf::from("input"));
        assert_eq!(args.output, PathBuf::from("output"));
        assert!(!args.common.strict);
        assert!(!args.archief);
        assert_eq!(args.common.basis, None);
    }
}
