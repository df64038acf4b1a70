//! End-to-end tests of the actualisatie's command line: the archive (`build --archief`),
//! `--basis FILE` and `--basis vorige`, and what a basis that cannot be used does.

mod support;

use std::path::PathBuf;
use std::process::Output;

/// The publication's files in the archive for peildatum `date`.
fn archived(date: &str) -> Vec<String> {
    ["html", "json", "pdf", "xlsx"]
        .iter()
        .map(|ext| format!("archief/financien-werkplan-2022-{date}.{ext}"))
        .collect()
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
    assert_exit(&support::build_quietly(&input(), &out, &["--archief"]), 0);
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
    let again = support::build_quietly(&input(), &out, &["--archief"]);
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
    assert_exit(&support::build_quietly(&input(), &plain, &[]), 0);
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
    let run = support::build_quietly(&input(), &out, &["--archief"]);
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

/// The `report.changes` of a built JSON (`null` without a basis).
fn changes_of(json: &[u8]) -> serde_json::Value {
    let document: serde_json::Value = serde_json::from_slice(json).unwrap();
    document["report"]["changes"].clone()
}

/// The 2022 report's JSON, built once into a folder of its own, as a basis.
fn basis_2022(name: &str) -> PathBuf {
    let dir = support::temp_dir(name);
    assert_exit(&support::build_quietly(&input(), &dir, &[]), 0);
    dir.join("financien-werkplan-2022.json")
}

#[test]
fn a_basis_file_is_compared_with_and_check_writes_nothing() {
    let basis = basis_2022("basis-bestand-basis");
    let out = support::temp_dir("basis-bestand");
    let run = support::build_quietly(&input(), &out, &["--basis", basis.to_str().unwrap()]);
    assert_exit(&run, 0);
    // the same input as the basis: a comparison, and nothing changed
    let changes = changes_of(&std::fs::read(out.join("financien-werkplan-2022.json")).unwrap());
    assert_eq!(changes["basis_year"], 2022, "{changes}");
    assert_eq!(changes["basis_peildatum"], "2021-12-31", "{changes}");
    let instruments = changes["instruments"].as_array().unwrap();
    assert_eq!(instruments.len(), 3, "{changes}");
    assert!(
        instruments
            .iter()
            .all(|i| i["changes"].as_array().unwrap().is_empty()),
        "{changes}"
    );
    // without --basis the JSON has no comparison
    assert_eq!(
        changes_of(&std::fs::read(&basis).unwrap()),
        serde_json::Value::Null
    );
    // check compares too, says so, and writes nothing
    let folder = support::snapshot_tree(&out);
    let check = support::werkplan(&[
        "check",
        "--input",
        "input",
        "--basis",
        basis.to_str().unwrap(),
    ]);
    assert_exit(&check, 0);
    let stderr = support::stderr(&check);
    assert!(
        stderr.contains(&format!(
            "vergeleken met {} (werkplan 2022, peildatum 2021-12-31): 0 regel(s) en 0 toekenning(en) gewijzigd",
            basis.display()
        )),
        "{stderr}"
    );
    assert_eq!(support::snapshot_tree(&out), folder);
    // the archive's previous report needs the output folder
    let check = support::werkplan(&["check", "--input", "input", "--basis", "vorige"]);
    assert_exit(&check, 2);
    assert!(
        support::stderr(&check).contains("--basis vorige: alleen bij build"),
        "{}",
        support::stderr(&check)
    );
}

#[test]
fn basis_vorige_takes_the_newest_archived_report_before_the_peildatum() {
    let out = support::temp_dir("basis-vorige").join("uitvoer");
    // no archived report before the peildatum: exit 1, saying what to do, nothing written
    let run = support::build_quietly(&input(), &out, &["--basis", "vorige", "--archief"]);
    assert_exit(&run, 1);
    let stderr = support::stderr(&run);
    assert!(
        stderr.contains(&format!(
            "--basis vorige: {}: geen gearchiveerd rapport",
            out.join("archief").display()
        )) && stderr.contains("vóór 2021-12-31"),
        "{stderr}"
    );
    assert!(!out.exists(), "the run made the output folder");
    // three earlier reports archived, the first without a basis
    for peildatum in ["2021-06-30", "2021-09-30"] {
        let run = support::build_quietly(&input(), &out, &["--peildatum", peildatum, "--archief"]);
        assert_exit(&run, 0);
    }
    let run = support::build_quietly(
        &input(),
        &out,
        &[
            "--peildatum",
            "2021-03-31",
            "--archief",
            "--basis",
            "vorige",
        ],
    );
    assert_exit(&run, 1);
    // the cron line: the same options month after month
    let monthly = ["--basis", "vorige", "--archief"];
    let run = support::build_quietly(&input(), &out, &monthly);
    assert_exit(&run, 0);
    let json = std::fs::read(out.join("financien-werkplan-2022.json")).unwrap();
    assert_eq!(changes_of(&json)["basis_peildatum"], "2021-09-30");
    let archive = support::snapshot_tree(&out.join("archief"));
    let names: Vec<&str> = archive.iter().map(|(name, _)| name.as_str()).collect();
    let mut expected: Vec<String> = ["2021-06-30", "2021-09-30", "2021-12-31"]
        .iter()
        .flat_map(|date| archived(date))
        .map(|name| name.trim_start_matches("archief/").to_string())
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    assert_eq!(
        bytes(&archive, "financien-werkplan-2022-2021-12-31.json"),
        &json[..]
    );
    // a rerun compares with the same report (not with its own archived copy): idempotent
    let folder = support::snapshot_tree(&out);
    let rerun = support::werkplan(&[
        "build",
        "--input",
        "input",
        "--output",
        out.to_str().unwrap(),
        "--basis",
        "vorige",
        "--archief",
    ]);
    assert_exit(&rerun, 0);
    assert!(
        support::stderr(&rerun).contains(&format!(
            "vergeleken met {} (werkplan 2022, peildatum 2021-09-30)",
            out.join("archief/financien-werkplan-2022-2021-09-30.json")
                .display()
        )),
        "{}",
        support::stderr(&rerun)
    );
    assert_eq!(support::snapshot_tree(&out), folder);
    // an earlier peildatum takes the report before it
    let run = support::build_quietly(
        &input(),
        &out,
        &["--peildatum", "2021-08-31", "--basis", "vorige"],
    );
    assert_exit(&run, 0);
    let json = std::fs::read(out.join("financien-werkplan-2022.json")).unwrap();
    assert_eq!(changes_of(&json)["basis_peildatum"], "2021-06-30");
}

#[test]
fn a_basis_that_cannot_be_used_exits_1_names_the_file_and_writes_nothing() {
    let basis = basis_2022("basis-kapot-basis");
    let report = std::fs::read(&basis).unwrap();
    let text = String::from_utf8(report.clone()).unwrap();
    assert!(text.starts_with("{\"schema\":1,"), "{}", &text[..40]);
    let dir = support::temp_dir("basis-kapot-bestanden");
    let kinds: [(&str, Option<Vec<u8>>, &str); 5] = [
        ("ontbreekt.json", None, "bestaat niet"),
        (
            "geen-json.json",
            Some(b"Dit is geen JSON.".to_vec()),
            "is geen JSON",
        ),
        (
            "afgebroken.json",
            Some(report[..report.len() / 2].to_vec()),
            "is afgebroken",
        ),
        (
            "ander-schema.json",
            Some(
                text.replacen("{\"schema\":1,", "{\"schema\":2,", 1)
                    .into_bytes(),
            ),
            "schema 2",
        ),
        (
            "ander-rapport.json",
            Some(br#"{"schema":1,"titel":"Jaarverslag"}"#.to_vec()),
            "is geen rapport van werkplan",
        ),
    ];
    let out = support::temp_dir("basis-kapot");
    std::fs::write(out.join("financien-werkplan-2022.pdf"), b"vorige pdf").unwrap();
    let before = support::snapshot_tree(&out);
    for (name, bytes, what) in kinds {
        let path = dir.join(name);
        if let Some(bytes) = bytes {
            std::fs::write(&path, bytes).unwrap();
        }
        let shown = path.to_str().unwrap();
        for run in [
            support::build_quietly(&input(), &out, &["--basis", shown, "--archief"]),
            support::werkplan(&["check", "--quiet", "--input", "input", "--basis", shown]),
        ] {
            assert_exit(&run, 1);
            let stderr = support::stderr(&run);
            assert!(
                stderr.contains(&format!("basis {shown}: ")) && stderr.contains(what),
                "{name}: {stderr}"
            );
            assert!(
                stderr.contains("er is niets geschreven"),
                "{name}: {stderr}"
            );
            assert_eq!(support::snapshot_tree(&out), before, "{name}");
        }
    }
}
