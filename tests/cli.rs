//! The command line as the operator meets it (issue item 17): the help, the version and the
//! usage errors in Dutch, with clap's suggestions and valid values kept, and the shell
//! completions and man pages generated from the same definition.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Runs the binary with `args`.
fn werkplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_werkplan"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Standard output as text.
fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Standard error as text.
fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Words clap prints in English unless told otherwise.
const ENGLISH: [&str; 11] = [
    "usage",
    "options",
    "option",
    "commands",
    "command",
    "arguments",
    "print",
    "default",
    "possible",
    "values",
    "subcommand",
];

/// The English words of `text`, with their lines.
fn english_words(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        for word in line.split(|c: char| !c.is_alphanumeric()) {
            if ENGLISH.contains(&word.to_lowercase().as_str()) {
                found.push(format!("{word:?} in {line:?}"));
            }
        }
    }
    found
}

#[test]
fn every_help_is_dutch_and_names_the_exit_codes() {
    let commands: [&[&str]; 5] = [&[], &["build"], &["check"], &["completions"], &["man"]];
    for command in commands {
        for flag in ["-h", "--help"] {
            let args: Vec<&str> = command.iter().copied().chain([flag]).collect();
            let output = werkplan(&args);
            let help = stdout(&output);
            assert!(output.status.success(), "{args:?}: {output:?}");
            let english = english_words(&help);
            assert!(english.is_empty(), "{args:?}: {english:#?}\n{help}");
            assert!(help.contains("Gebruik: werkplan"), "{args:?}:\n{help}");
            assert!(help.contains("Opties:"), "{args:?}:\n{help}");
            assert!(help.contains("Exitcodes:"), "{args:?}:\n{help}");
            assert!(
                help.contains("3  --strict en waarschuwingen"),
                "{args:?}:\n{help}"
            );
        }
    }
    let build = stdout(&werkplan(&["build", "-h"]));
    assert!(build.contains("[standaard: output]"), "{build}");
    assert!(build.contains("[mogelijke waarden: text, json]"), "{build}");
    let long = stdout(&werkplan(&["build", "--help"]));
    assert!(long.contains("Mogelijke waarden:"), "{long}");
    assert!(long.contains("- json: Een JSON-object per regel"), "{long}");
    let top = stdout(&werkplan(&["--help"]));
    assert!(top.contains("Opdrachten:"), "{top}");
}

#[test]
fn the_version_is_printed() {
    let output = werkplan(&["--version"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        stdout(&output),
        format!("werkplan {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_keep_the_suggestions_and_the_valid_values() {
    let cases: [(&[&str], &[&str]); 8] = [
        (
            &["build", "--strikt"],
            &[
                "onbekende optie: --strikt",
                "bedoelde u --strict?",
                "zie werkplan build --help",
            ],
        ),
        (
            &["check", "input/"],
            &["onverwacht argument: input/", "zie werkplan check --help"],
        ),
        (
            &["build", "--peildatum"],
            &["een waarde ontbreekt: --peildatum"],
        ),
        (
            &["biuld"],
            &["onbekende opdracht: biuld", "bedoelde u build?"],
        ),
        (
            &["bouw"],
            &[
                "onbekende opdracht: bouw",
                "kies build, check, completions of man",
            ],
        ),
        (
            &["check", "--log-format", "jsn"],
            &["‘jsn’", "bedoelde u json?", "mogelijke waarden: text, json"],
        ),
        (
            &["build", "--log-format", "xml"],
            &["ongeldige waarde", "‘xml’", "mogelijke waarden: text, json"],
        ),
        (
            &["completions", "bsh"],
            &[
                "bedoelde u bash?",
                "mogelijke waarden: bash, elvish, fish, powershell, zsh",
            ],
        ),
    ];
    for (args, expected) in cases {
        let output = werkplan(args);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert!(message.starts_with("fout: "), "{args:?}: {message}");
        for part in expected {
            assert!(message.contains(part), "{args:?}: no {part:?} in {message}");
        }
        let english = english_words(&message);
        assert!(english.is_empty(), "{args:?}: {english:#?}");
    }
}

#[test]
fn completions_know_every_command_and_option() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = werkplan(&["completions", shell]);
        assert!(output.status.success(), "{shell}: {output:?}");
        let script = stdout(&output);
        for word in ["build", "check", "strict", "peildatum", "log-format"] {
            assert!(script.contains(word), "{shell}: no {word} in the script");
        }
    }
}

#[test]
fn man_pages_are_written_for_every_command() {
    let dir = std::env::temp_dir().join(format!("werkplan-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let output = werkplan(&["man", dir.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    for (page, words) in [
        (
            "werkplan.1",
            &[
                ".SH OPDRACHTEN",
                "werkplan\\-build(1)",
                "werkplan\\-check(1)",
            ][..],
        ),
        (
            "werkplan-build.1",
            &["\\-\\-strict", "\\-\\-output", "standaard: output"][..],
        ),
        ("werkplan-check.1", &["\\-\\-peildatum"][..]),
        ("werkplan-completions.1", &["bash"][..]),
        ("werkplan-man.1", &["MAP"][..]),
    ] {
        let path: PathBuf = dir.join(page);
        assert!(
            stdout(&output).contains(path.to_str().unwrap()),
            "{page} not reported: {output:?}"
        );
        let roff = std::fs::read_to_string(&path).unwrap();
        assert!(
            roff.starts_with(".ie \\n(.g .ds Aq") || roff.contains(".TH "),
            "{page}"
        );
        for heading in [".SH NAAM", ".SH OVERZICHT", ".SH OPTIES", ".SH EXITCODES"] {
            assert!(roff.contains(heading), "{page}: no {heading}\n{roff}");
        }
        for word in words {
            assert!(roff.contains(word), "{page}: no {word}\n{roff}");
        }
        let english: Vec<&str> = roff
            .lines()
            .filter(|line| line.starts_with(".SH "))
            .filter(|line| !english_words(line).is_empty() || line.contains("NAME"))
            .collect();
        assert!(english.is_empty(), "{page}: {english:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);

    // a folder that is not there: exit 1, a Dutch message
    let output = werkplan(&["man", "/nonexistent/werkplan-man"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(stderr(&output).starts_with("fout: /nonexistent/werkplan-man: "));
}

#[test]
fn the_readme_stays_in_the_repository_and_matches_the_manifest() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();

    // nothing outside the repository: no ../ paths, no spec kept elsewhere
    for (number, line) in readme.lines().enumerate() {
        assert!(
            !line.contains("../") && !line.contains("INPUT.md"),
            "README.md:{}: points outside the repository: {line}",
            number + 1
        );
    }

    // the licence the manifest names is in the repository
    assert!(manifest.contains("license = \"EUPL-1.2\""));
    let licence = std::fs::read_to_string(root.join("LICENSE")).unwrap();
    assert!(
        licence
            .trim_start()
            .starts_with("EUROPEAN UNION PUBLIC LICENCE v. 1.2"),
        "LICENSE is not the EUPL-1.2"
    );
    assert!(licence.contains("Appendix") && licence.len() > 13_000);

    // the installation section names the Rust version the manifest requires
    let rust_version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = "))
        .unwrap()
        .trim_matches('"');
    let installation = readme
        .split("## Installation")
        .nth(1)
        .expect("README has an Installation section");
    assert!(
        installation.contains(&format!("Rust {rust_version} ")),
        "the Installation section does not name Rust {rust_version}"
    );
    for command in [
        "cargo install --path . --locked",
        "/srv/werkplan/werkplan",
        "werkplan completions bash",
        "werkplan man /usr/local/share/man/man1",
        "apt-get install poppler-utils libreoffice-calc-nogui",
        "schtasks",
    ] {
        assert!(
            installation.contains(command),
            "no {command:?} in Installation"
        );
    }
}

#[test]
fn an_io_error_keeps_the_systems_own_text() {
    // the man pages into a folder below a file: the system refuses, and says why
    let dir = std::env::temp_dir().join(format!("werkplan-cli-io-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("een-bestand");
    std::fs::write(&file, b"geen map").unwrap();
    let folder = file.join("man1");
    let system = std::fs::write(folder.join("werkplan.1"), b"")
        .unwrap_err()
        .to_string();
    let output = werkplan(&["man", folder.to_str().unwrap()]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    let lead = format!(
        "fout: {}: de man-pagina's kunnen niet worden geschreven: ",
        folder.display()
    );
    assert!(message.starts_with(&lead), "{message}");
    assert!(
        message.ends_with(&format!(" (systeemmelding: {system})\n")),
        "{message}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
