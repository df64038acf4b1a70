//! The last step of every workbook the program writes: the package parts rust_xlsxwriter
//! fills with its own fixed values, corrected after it has written them.
//!
//! rust_xlsxwriter has no setting for these (0.102): `docProps/app.xml` names the
//! application `Microsoft Excel` version `12.0000`, `docProps/core.xml` has no document
//! language, and every chart's text is tagged `en-US`. [`finish`] rewrites the zip: the
//! application becomes `werkplan <version>`, the language `nl-NL` (`dc:language`), the charts'
//! language `nl-NL`. Every other part is copied byte for byte, in the same order, and the
//! rewritten parts get fixed dates, so the same workbook gives the same bytes.

use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::XlsxError;

/// The document language of every workbook: Dutch as written in the Netherlands.
pub(crate) const LANGUAGE: &str = "nl-NL";

/// The language rust_xlsxwriter writes into charts.
const WRITER_LANGUAGE: &str = "en-US";

/// The workbook `bytes` with the application `werkplan <version>` and the language
/// [`LANGUAGE`] in its document properties and charts.
///
/// # Errors
/// [`XlsxError::Package`] when `bytes` is not a zip, or a part to correct is not UTF-8 or
/// not as rust_xlsxwriter writes it.
pub(crate) fn finish(bytes: &[u8], version: &str) -> Result<Vec<u8>, XlsxError> {
    let package = |what: String| XlsxError::Package(what);
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| package(e.to_string()))?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for i in 0..archive.len() {
        let name = archive
            .by_index_raw(i)
            .map_err(|e| package(e.to_string()))?
            .name()
            .map_err(|e| package(e.to_string()))?
            .into_owned();
        let Some(patch) = patch_for(&name) else {
            let file = archive
                .by_index_raw(i)
                .map_err(|e| package(e.to_string()))?;
            out.raw_copy_file(file)
                .map_err(|e| package(e.to_string()))?;
            continue;
        };
        let mut xml = String::new();
        archive
            .by_index(i)
            .map_err(|e| package(e.to_string()))?
            .read_to_string(&mut xml)
            .map_err(|e| package(format!("{name}: {e}")))?;
        let xml = patch(&xml, version).ok_or_else(|| {
            package(format!(
                "{name}: niet zoals rust_xlsxwriter het schrijft, kan niet worden aangepast"
            ))
        })?;
        out.start_file(name.as_str(), options)
            .map_err(|e| package(e.to_string()))?;
        out.write_all(xml.as_bytes())
            .map_err(|e| package(format!("{name}: {e}")))?;
    }
    let cursor = out.finish().map_err(|e| package(e.to_string()))?;
    Ok(cursor.into_inner())
}

/// A correction of one part: the part's new text, or `None` when it is not as expected.
type Patch = fn(&str, &str) -> Option<String>;

/// The correction for the part `name`, if it needs one.
fn patch_for(name: &str) -> Option<Patch> {
    match name {
        "docProps/app.xml" => Some(application),
        "docProps/core.xml" => Some(language),
        _ if name.starts_with("xl/charts/chart") && name.ends_with(".xml") => {
            Some(|xml, _| Some(chart_language(xml)))
        }
        _ => None,
    }
}

/// `app.xml` naming `werkplan <version>` as the application, without Excel's version number.
fn application(xml: &str, version: &str) -> Option<String> {
    let (before, rest) = xml.split_once("<Application>")?;
    let (_, after) = rest.split_once("</Application>")?;
    let mut out = format!("{before}<Application>werkplan {version}</Application>{after}");
    if let Some(start) = out.find("<AppVersion>")
        && let Some(len) = out[start..].find("</AppVersion>")
    {
        out.replace_range(start..start + len + "</AppVersion>".len(), "");
    }
    Some(out)
}

/// `core.xml` with the document language.
fn language(xml: &str, _version: &str) -> Option<String> {
    if xml.contains("<dc:language>") {
        return Some(xml.to_string());
    }
    let end = xml.rfind("</cp:coreProperties>")?;
    let mut out = xml.to_string();
    out.insert_str(end, &format!("<dc:language>{LANGUAGE}</dc:language>"));
    Some(out)
}

/// A chart's texts in [`LANGUAGE`]: the chart's language and every run's.
fn chart_language(xml: &str) -> String {
    xml.replace(
        &format!("<c:lang val=\"{WRITER_LANGUAGE}\"/>"),
        &format!("<c:lang val=\"{LANGUAGE}\"/>"),
    )
    .replace(
        &format!("lang=\"{WRITER_LANGUAGE}\""),
        &format!("lang=\"{LANGUAGE}\""),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The named part of a zip, as text.
    fn part(bytes: &[u8], name: &str) -> String {
        let mut archive = ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    fn workbook() -> Vec<u8> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_number(0, 0, 1.0).unwrap();
        let mut chart = rust_xlsxwriter::Chart::new_bar();
        chart.add_series().set_values(("Sheet1", 0, 0, 0, 0));
        chart.title().set_name("Titel");
        sheet.insert_chart(2, 2, &chart).unwrap();
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn the_properties_name_werkplan_and_dutch() {
        let original = workbook();
        assert!(part(&original, "docProps/app.xml").contains("Microsoft Excel"));
        let bytes = finish(&original, "1.2.3").unwrap();
        let app = part(&bytes, "docProps/app.xml");
        assert!(
            app.contains("<Application>werkplan 1.2.3</Application>"),
            "{app}"
        );
        assert!(!app.contains("AppVersion"), "{app}");
        let core = part(&bytes, "docProps/core.xml");
        assert!(core.contains("<dc:language>nl-NL</dc:language>"), "{core}");
        let chart = part(&bytes, "xl/charts/chart1.xml");
        assert!(!chart.contains("en-US"), "{chart}");
        assert!(chart.contains("<c:lang val=\"nl-NL\"/>"), "{chart}");
        // the other parts unchanged, in the same order
        let names = |b: &[u8]| {
            let archive = ZipArchive::new(Cursor::new(b)).unwrap();
            archive
                .file_names()
                .map(|n| n.unwrap().into_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&original), names(&bytes));
        assert_eq!(
            part(&bytes, "xl/workbook.xml"),
            part(&original, "xl/workbook.xml")
        );
    }

    #[test]
    fn the_same_workbook_gives_the_same_bytes() {
        let original = workbook();
        assert_eq!(
            finish(&original, "1.2.3").unwrap(),
            finish(&original, "1.2.3").unwrap()
        );
    }

    #[test]
    fn what_is_not_a_workbook_is_an_error() {
        assert!(matches!(
            finish(b"geen zip", "1.2.3"),
            Err(XlsxError::Package(_))
        ));
    }
}
