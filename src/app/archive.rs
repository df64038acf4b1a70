//! The archive of published reports (`build --archief`) and `--basis vorige`.
//!
//! Every published report is kept as `<uitvoermap>/archief/<stem>-<peildatum>.<ext>`
//! (`financien-werkplan-2022-2022-06-30.json`): the publication's JSON, PDF, XLSX and web
//! page. The control report is not archived: it is the finance officer's working document,
//! never published, and the findings it lists are in the archived JSON.
//!
//! An archived file is never replaced: the same bytes again (a rerun) are left as they are,
//! other bytes under an existing name stop the run before anything is written. The archive
//! files are published in the same step as the report (see `publish`), so a run that is
//! killed leaves both or neither.

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::Date;

use super::error::{ArchiveConflict, ArchiveError, PreviousError};
use super::{OutputFile, report_stem};

/// The archive's folder inside the output folder.
pub(crate) const ARCHIVE_DIR: &str = "archief";

/// The extensions of the publication's files that are archived.
const ARCHIVED: [&str; 4] = ["json", "pdf", "xlsx", "html"];

/// The archive's name of a report file: `financien-werkplan-2022.pdf` with peildatum
/// 2022-06-30 becomes `financien-werkplan-2022-2022-06-30.pdf`.
fn archive_name(stem: &str, peildatum: Date, extension: &str) -> String {
    format!("{stem}-{peildatum}.{extension}")
}

/// What `--archief` adds to the outputs: the publication's files under `archief/` with the
/// peildatum in the name (paths relative to the output folder), leaving out the files the
/// archive already holds with the same bytes. Returns those outputs and the names left out.
///
/// # Errors
/// An archived file of that name with other bytes (or a folder, or a file that cannot be
/// read): the message names every one of them and what the operator can do.
pub(crate) fn plan(
    output: &Path,
    year: i32,
    peildatum: Date,
    outputs: &[OutputFile],
) -> Result<(Vec<OutputFile>, Vec<PathBuf>), ArchiveError> {
    let stem = report_stem(year);
    let folder = output.join(ARCHIVE_DIR);
    let mut new = Vec::new();
    let mut kept = Vec::new();
    let mut conflicts = Vec::new();
    for extension in ARCHIVED {
        let published = format!("{stem}.{extension}");
        let Some((_, bytes)) = outputs.iter().find(|(name, _)| *name == published) else {
            continue;
        };
        let name = archive_name(&stem, peildatum, extension);
        let path = folder.join(&name);
        match fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                new.push((format!("{ARCHIVE_DIR}/{name}"), bytes.clone()));
            }
            Err(source) => conflicts.push(ArchiveConflict::Unreadable { path, source }),
            Ok(meta) if !meta.is_file() => conflicts.push(ArchiveConflict::NotAFile { path }),
            Ok(_) => match fs::read(&path) {
                Ok(archived) if archived == *bytes => kept.push(path),
                Ok(_) => conflicts.push(ArchiveConflict::Different { path }),
                Err(source) => conflicts.push(ArchiveConflict::Unreadable { path, source }),
            },
        }
    }
    if conflicts.is_empty() {
        return Ok((new, kept));
    }
    Err(ArchiveError {
        conflicts,
        folder,
        peildatum,
    })
}

/// `--basis vorige`: the newest archived JSON in `archive` whose peildatum lies before
/// `peildatum`. Among archived reports of one peildatum, that of the werkplan `year` comes
/// first, then the latest werkplan year.
///
/// # Errors
/// No such report (also when the folder is missing): the message says where it looked and
/// what to do.
pub(crate) fn previous(
    archive: &Path,
    year: i32,
    peildatum: Date,
) -> Result<PathBuf, PreviousError> {
    let entries = match fs::read_dir(archive) {
        Ok(entries) => entries.filter_map(Result::ok).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(source) => {
            return Err(PreviousError::Unreadable {
                archive: archive.to_path_buf(),
                source,
            });
        }
    };
    let best = entries
        .iter()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let (archived_year, archived_peildatum) = parse_archived(&name)?;
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            (is_file && archived_peildatum < peildatum).then_some((
                archived_peildatum,
                archived_year == year,
                archived_year,
                entry.path(),
            ))
        })
        .max();
    match best {
        Some((_, _, _, path)) => Ok(path),
        None => Err(PreviousError::NoneBefore {
            archive: archive.to_path_buf(),
            peildatum,
        }),
    }
}

/// `financien-werkplan-2022-2022-06-30.json`: the werkplan year and the peildatum of an
/// archived JSON ([`report_stem`] of the year, the peildatum), else `None`.
fn parse_archived(name: &str) -> Option<(i32, Date)> {
    let rest = name.strip_suffix(".json")?;
    let split = rest.len().checked_sub("-JJJJ-MM-DD".len())?;
    let (stem, date) = (rest.get(..split)?, rest.get(split..)?.strip_prefix('-')?);
    let year: i32 = stem.get(stem.len().checked_sub(4)?..)?.parse().ok()?;
    (report_stem(year) == stem).then_some((year, Date::parse_iso(date)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse_iso(text).unwrap()
    }

    fn folder(name: &str, files: &[&str]) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("werkplan-archief-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        for file in files {
            fs::write(dir.join(file), file.as_bytes()).unwrap();
        }
        dir
    }

    #[test]
    fn archived_names_carry_year_and_peildatum() {
        assert_eq!(
            archive_name("financien-werkplan-2022", date("2022-06-30"), "pdf"),
            "financien-werkplan-2022-2022-06-30.pdf"
        );
        assert_eq!(
            parse_archived("financien-werkplan-2022-2022-06-30.json"),
            Some((2022, date("2022-06-30")))
        );
        for other in [
            "financien-werkplan-2022-2022-06-30.pdf",
            "financien-werkplan-2022.json",
            "financien-werkplan-2022-2022-02-30.json",
            "controle-werkplan-2022-2022-06-30.json",
            "financien-werkplan-22-2022-06-30.json",
        ] {
            assert_eq!(parse_archived(other), None, "{other}");
        }
    }

    #[test]
    fn the_previous_report_is_the_newest_before_the_peildatum() {
        let dir = folder(
            "vorige",
            &[
                "financien-werkplan-2022-2022-01-31.json",
                "financien-werkplan-2022-2022-03-31.json",
                "financien-werkplan-2022-2022-02-28.json",
                "financien-werkplan-2022-2022-04-30.json",
                "financien-werkplan-2022-2022-03-31.pdf",
                "financien-werkplan-2021-2022-03-31.json",
                "financien-werkplan-2023-2022-03-31.json",
                "controle-werkplan-2022-2022-03-31.json",
            ],
        );
        let name = |path: PathBuf| path.file_name().unwrap().to_string_lossy().into_owned();
        // strictly before: a rerun on 30 April does not compare with itself
        let found = previous(&dir, 2022, date("2022-04-30")).unwrap();
        assert_eq!(name(found), "financien-werkplan-2022-2022-03-31.json");
        let found = previous(&dir, 2022, date("2022-03-01")).unwrap();
        assert_eq!(name(found), "financien-werkplan-2022-2022-02-28.json");
        // the next werkplan against the last one: the latest year of the newest peildatum
        let found = previous(&dir, 2024, date("2022-04-01")).unwrap();
        assert_eq!(name(found), "financien-werkplan-2023-2022-03-31.json");
        let message = previous(&dir, 2022, date("2022-01-31"))
            .unwrap_err()
            .to_string();
        assert!(message.contains("vóór 2022-01-31"), "{message}");
        let message = previous(&dir.join("ontbreekt"), 2022, date("2022-12-31"))
            .unwrap_err()
            .to_string();
        assert!(message.contains("geen gearchiveerd rapport"), "{message}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_same_bytes_are_kept_and_other_bytes_refused() {
        let output = folder("plan", &[]);
        let peildatum = date("2022-12-31");
        let outputs: Vec<OutputFile> = ["json", "pdf", "xlsx", "html"]
            .iter()
            .map(|ext| {
                (
                    format!("financien-werkplan-2022.{ext}"),
                    ext.as_bytes().to_vec(),
                )
            })
            .chain([("controle-werkplan-2022.pdf".to_string(), b"c".to_vec())])
            .collect();
        let (new, kept) = plan(&output, 2022, peildatum, &outputs).unwrap();
        let names: Vec<&str> = new.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "archief/financien-werkplan-2022-2022-12-31.json",
                "archief/financien-werkplan-2022-2022-12-31.pdf",
                "archief/financien-werkplan-2022-2022-12-31.xlsx",
                "archief/financien-werkplan-2022-2022-12-31.html",
            ]
        );
        assert!(kept.is_empty());
        fs::create_dir_all(output.join(ARCHIVE_DIR)).unwrap();
        for (name, bytes) in &new[..2] {
            fs::write(output.join(name), bytes).unwrap();
        }
        let (new, kept) = plan(&output, 2022, peildatum, &outputs).unwrap();
        assert_eq!((new.len(), kept.len()), (2, 2));
        fs::write(
            output.join("archief/financien-werkplan-2022-2022-12-31.pdf"),
            b"anders",
        )
        .unwrap();
        let message = plan(&output, 2022, peildatum, &outputs)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains(
                "financien-werkplan-2022-2022-12-31.pdf: staat al in het archief met een andere inhoud"
            ),
            "{message}"
        );
        let _ = fs::remove_dir_all(&output);
    }
}
