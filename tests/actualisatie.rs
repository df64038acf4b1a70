//! End-to-end tests of the actualisatie's command line: the archive (`build --archief`),
//! `--basis FILE` and `--basis vorige`, and what a basis that cannot be used does.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

/// The publication's files in the archive for peildatum `date`.
fn archived(date: &str) -> Vec<String> {
    ["html", "json", "pdf", "xlsx"]
        .iter()
        .map(|ext| format!("archief/financien-werkplan-2022-{date}.{ext}"))
        .collect()
}

/// `werkplan build --quiet --input <input> --output <out>` and `extra`.
fn build(input: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--quiet",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    support::werkplan(&args)
}

/// The bundled 2022 workbook's folder.
fn input() -> PathBuf {
    PathBuf::from("input")
}

/// Asserts a run's exit code, showing its stderr when it differs.
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}",
        support::stderr(output)
    );
}

/// The bytes of `name` in a snapshot.
fn bytes<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &files
        .iter()
        .find(|(file, _)| file == name)
        .unwrap_or_else(|| panic!("{name} ontbreekt"))
        .1
}

#[test]
fn the_archive_keeps_the_publication_and_a_rerun_changes_nothing() {
    let out = support::temp_dir("archief-herhaald");
    assert_exit(&build(&input(), &out, &["--archief"]), 0);
    let first = support::snapshot_tree(&out);
    let names: Vec<&str> = first.iter().map(|(name, _)| name.as_str()).collect();
    let mut expected = vec!["archief/".to_string()];
    expected.extend(archived("2021-12-31"));
    expected.extend(
        [
            "controle-werkplan-2022.pdf",
            "controle-werkplan-2022.xlsx",
            "financien-werkplan-2022.html",
            "financien-werkplan-2022.json",
            "financien-werkplan-2022.pdf",
            "financien-werkplan-2022.xlsx",
        ]
        .map(String::from),
    );
    assert_eq!(names, expected);
    // the archived files are the published ones, byte for byte
    for ext in ["html", "json", "pdf", "xlsx"] {
        assert_eq!(
            bytes(
                &first,
                &format!("archief/financien-werkplan-2022-2021-12-31.{ext}")
            ),
            bytes(&first, &format!("financien-werkplan-2022.{ext}")),
            "{ext}"
        );
    }
    // a rerun on the same input: the same bytes everywhere, the archive left as it was
    let again = build(&input(), &out, &["--archief"]);
    assert_exit(&again, 0);
    assert_eq!(support::snapshot_tree(&out), first);
    let rerun = support::werkplan(&[
        "build",
        "--input",
        "input",
        "--output",
        out.to_str().unwrap(),
        "--archief",
    ]);
    assert_exit(&rerun, 0);
    assert!(
        support::stderr(&rerun).contains(&format!(
            "al in het archief: {}",
            out.join("archief/financien-werkplan-2022-2021-12-31.pdf")
                .display()
        )),
        "{}",
        support::stderr(&rerun)
    );
    // without --archief nothing is archived
    let plain = support::temp_dir("archief-zonder");
    assert_exit(&build(&input(), &plain, &[]), 0);
    assert!(!plain.join("archief").exists());
}

#[test]
fn other_content_under_an_archived_name_is_refused_and_nothing_written() {
    let out = support::temp_dir("archief-anders");
    // a report of the same peildatum archived earlier, from other input
    let pdf = "archief/financien-werkplan-2022-2021-12-31.pdf";
    std::fs::create_dir_all(out.join("archief")).unwrap();
    std::fs::write(out.join(pdf), b"eerder gepubliceerde pdf").unwrap();
    std::fs::write(out.join("financien-werkplan-2022.pdf"), b"vorige pdf").unwrap();
    let before = support::snapshot_tree(&out);
    let run = build(&input(), &out, &["--archief"]);
    assert_exit(&run, 1);
    let stderr = support::stderr(&run);
    assert!(
        stderr.contains(&format!(
            "{}: staat al in het archief met een andere inhoud",
            out.join(pdf).display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("er is niets geschreven"), "{stderr}");
    assert_eq!(support::snapshot_tree(&out), before);
}
