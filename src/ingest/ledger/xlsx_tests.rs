//! Tests of the xlsx ledger reader: hand-written sheet XML for every kind of cell and every
//! broken file, buffer edges, a differential test against calamine on workbooks written by
//! rust_xlsxwriter, and fuzzing (random bytes, mutated sheets: never a panic).

use std::io::{Cursor, Write};

use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use super::LedgerWorkbook;
use crate::ingest::ledger::{CellAt, LedgerCell, MergedArea, RowSink, ScanError};
use crate::model::Date;

/// A cell as the sink saw it, owned.
#[derive(Clone, Debug, PartialEq)]
enum Owned {
    Text(String),
    Number(String),
    Date(Date),
    Bool(bool),
    Error(String),
}

/// Records every row and the merged areas.
#[derive(Debug, Default)]
struct Recorder {
    rows: Vec<(u32, Vec<(u32, Owned)>)>,
    merged: Option<Vec<MergedArea>>,
}

impl RowSink for Recorder {
    fn row(&mut self, row: u32, cells: &[CellAt<'_>]) {
        let cells = cells
            .iter()
            .map(|c| {
                let value = match c.value {
                    LedgerCell::Text(t) => Owned::Text(t.to_string()),
                    LedgerCell::Number(t) => Owned::Number(t.to_string()),
                    LedgerCell::Float(f) => Owned::Number(f.to_string()),
                    LedgerCell::Date(d) => Owned::Date(d),
                    LedgerCell::Bool(b) => Owned::Bool(b),
                    LedgerCell::Error(e) => Owned::Error(e.to_string()),
                };
                (c.col, value)
            })
            .collect();
        self.rows.push((row, cells));
    }

    fn merged(&mut self, areas: &[MergedArea]) {
        assert!(self.merged.is_none(), "merged areas reported twice");
        self.merged = Some(areas.to_vec());
    }
}

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"#;

const STYLES: &str = r#"<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="4"/></cellXfs></styleSheet>"#;

fn workbook_xml(date1904: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr{date1904}/><sheets><sheet name="Boekingen 2022" sheetId="1" r:id="rId1"/><sheet name="R&amp;D" sheetId="2" r:id="rId2"/></sheets></workbook>"#
    )
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// A workbook with the sheet XML as `Boekingen 2022` (and a small second sheet).
fn xlsx_with(sheet: &str, strings: &str, date1904: &str) -> Vec<u8> {
    zip_of(&[
        ("xl/workbook.xml", workbook_xml(date1904).as_bytes()),
        ("xl/_rels/workbook.xml.rels", RELS.as_bytes()),
        ("xl/styles.xml", STYLES.as_bytes()),
        ("xl/sharedStrings.xml", strings.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        (
            "xl/worksheets/sheet2.xml",
            b"<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>7</v></c></row></sheetData></worksheet>",
        ),
    ])
}

const STRINGS: &str = r#"<sst count="3"><si><t>Boekdatum</t></si><si><r><t>Reg</t></r><r><rPr><b/></rPr><t>uliere</t></r></si><si><t/></si></sst>"#;

fn sheet(data: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="x"><dimension ref="A1:J5"/><sheetData>{data}</sheetData></worksheet>"#
    )
}

fn scan(bytes: &[u8], sheet: &str) -> Result<(u64, Recorder), ScanError> {
    let mut workbook = LedgerWorkbook::open(bytes, 1 << 30)?;
    let mut recorder = Recorder::default();
    let rows = workbook.scan(sheet, &mut recorder)?;
    Ok((rows, recorder))
}

fn scan_data(data: &str) -> Result<(u64, Recorder), ScanError> {
    scan(&xlsx_with(&sheet(data), STRINGS, ""), "Boekingen 2022")
}

fn text(t: &str) -> Owned {
    Owned::Text(t.to_string())
}

fn date(y: i32, m: u32, d: u32) -> Owned {
    Owned::Date(Date::new(y, m, d).unwrap())
}

#[test]
fn every_kind_of_cell() {
    let full = r#"<?xml version="1.0"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:dimension ref="A1:J5"/><x:sheetData>
<x:row r="1" spans="1:3"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>Bedrag &amp; zo</x:t></x:is></x:c></x:row>
<row><c s="1"><v>44562</v></c><c t="s"><v>1</v></c><c><v>1234.5</v></c><c t="b"><v>1</v></c><c t="e"><v>#REF!</v></c><c><f>SUM(C1:C2)</f></c><c t="str"><f>A1</f><v>x &lt; y</v></c><c r="J2" s="2"><v>44563.5</v></c></row>
<row r="4" ht="15" customHeight="1"/>
<row customHeight="1" r="5" ><c r="A5" s="3"/><c r="C5" t="inlineStr"><is><r><rPr><b/></rPr><t>rijk</t></r><r><t xml:space="preserve"> tekst</t></r><rPh sb="0"><t>fonetisch</t></rPh></is></c>
  <c r="D5" t="d"><v>2022-03-01T00:00:00</v></c><c r="E5" t="s"><v>2</v></c><c r="F5" s="3"><v> -0.25 </v></c></row>
</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A1:B1"/><x:mergeCell ref="C7"/></x:mergeCells></x:worksheet>"#;
    let (rows, recorder) = scan(&xlsx_with(full, STRINGS, ""), "Boekingen 2022").unwrap();
    assert_eq!(rows, 3);
    assert_eq!(
        recorder.rows,
        vec![
            (0, vec![(0, text("Boekdatum")), (1, text("Bedrag & zo"))]),
            (
                1,
                vec![
                    (0, date(2022, 1, 1)),
                    (1, text("Reguliere")),
                    (2, Owned::Number("1234.5".into())),
                    (3, Owned::Bool(true)),
                    (4, Owned::Error("#REF!".into())),
                    (5, Owned::Error("=SUM(C1:C2)".into())),
                    (6, text("x < y")),
                    (9, date(2022, 1, 2)),
                ]
            ),
            (
                4,
                vec![
                    (2, text("rijk tekst")),
                    (3, date(2022, 3, 1)),
                    (5, Owned::Number("-0.25".into())),
                ]
            ),
        ]
    );
    assert_eq!(
        recorder.merged,
        Some(vec![
            MergedArea {
                start: (0, 0),
                end: (0, 1)
            },
            MergedArea {
                start: (6, 2),
                end: (6, 2)
            },
        ])
    );
}

#[test]
fn sheet_names_and_a_second_sheet() {
    let bytes = xlsx_with(&sheet(""), STRINGS, "");
    let workbook = LedgerWorkbook::open(&bytes, 1 << 30).unwrap();
    assert_eq!(workbook.sheet_names(), vec!["Boekingen 2022", "R&D"]);
    let (rows, recorder) = scan(&bytes, "R&D").unwrap();
    assert_eq!(rows, 1);
    assert_eq!(
        recorder.rows,
        vec![(0, vec![(0, Owned::Number("7".into()))])]
    );
    let (rows, recorder) = scan(&bytes, "Boekingen 2022").unwrap();
    assert_eq!((rows, recorder.rows.len()), (0, 0));
    assert_eq!(recorder.merged, Some(vec![]));
    let error = scan(&bytes, "Boekingen 2023").unwrap_err();
    assert!(error.message.contains("‘Boekingen 2023’"), "{error:?}");
}

#[test]
fn rows_without_numbers_take_them_from_their_cells_or_follow_on() {
    let (rows, recorder) = scan_data(
        r#"<row><c r="A2"><v>1</v></c></row><row><c><v>2</v></c></row><row><c r="B7"><v>3</v></c></row><row/><row><c><v>4</v></c></row>"#,
    )
    .unwrap();
    assert_eq!(rows, 4);
    let numbers: Vec<(u32, u32)> = recorder
        .rows
        .iter()
        .map(|(row, cells)| (*row, cells[0].0))
        .collect();
    assert_eq!(numbers, vec![(1, 0), (2, 0), (6, 1), (8, 0)]);
    // a cell naming an earlier row than its row can be at is out of order
    let error = scan_error(r#"<row r="5"><c><v>1</v></c></row><row><c r="A3"><v>2</v></c></row>"#);
    assert!(
        error.message.contains("A3 staat in het bestand in rij 6"),
        "{error:?}"
    );
}

#[test]
fn part_names_in_other_case_or_with_backslashes() {
    let data = sheet(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#);
    let bytes = zip_of(&[
        ("XL/Workbook.xml", workbook_xml("").as_bytes()),
        ("xl\\_rels\\workbook.xml.rels", RELS.as_bytes()),
        ("xl/sharedstrings.xml", STRINGS.as_bytes()),
        ("xl/worksheets/Sheet1.xml", data.as_bytes()),
    ]);
    let (rows, recorder) = scan(&bytes, "Boekingen 2022").unwrap();
    assert_eq!(rows, 1);
    assert_eq!(recorder.rows, vec![(0, vec![(0, text("Boekdatum"))])]);
}

#[test]
fn the_1904_date_system() {
    let data = r#"<row r="1"><c r="A1" s="1"><v>43100</v></c><c r="B1" s="2"><v>0</v></c></row>"#;
    for flag in [r#" date1904="1""#, r#" date1904="true""#] {
        let bytes = xlsx_with(&sheet(data), STRINGS, flag);
        let (_, recorder) = scan(&bytes, "Boekingen 2022").unwrap();
        assert_eq!(
            recorder.rows,
            vec![(0, vec![(0, date(2022, 1, 1)), (1, date(1904, 1, 1))])]
        );
    }
}

#[test]
fn a_date_style_on_no_date_keeps_the_number() {
    // serial 60 is Excel's 29 February 1900; 0 is no day in the 1900 system
    let (_, recorder) = scan_data(
        r#"<row r="1"><c r="A1" s="1"><v>60</v></c><c r="B1" s="1"><v>0</v></c><c r="C1" s="1"><v>61</v></c><c r="D1" s="9"><v>61</v></c></row>"#,
    )
    .unwrap();
    assert_eq!(
        recorder.rows,
        vec![(
            0,
            vec![
                (0, Owned::Number("60".into())),
                (1, Owned::Number("0".into())),
                (2, date(1900, 3, 1)),
                (3, Owned::Number("61".into())),
            ]
        )]
    );
}

fn scan_error(data: &str) -> ScanError {
    match scan_data(data) {
        Err(error) => error,
        Ok((_, recorder)) => panic!("no error for {data}: {recorder:?}"),
    }
}

#[test]
fn references_out_of_order_or_outside_the_sheet() {
    let error = scan_error(r#"<row r="2"><c r="B2"><v>1</v></c><c r="A2"><v>2</v></c></row>"#);
    assert_eq!(error.cell, Some((1, 2)));
    assert!(
        error.message.contains("A2 staat in het bestand na B2"),
        "{error:?}"
    );
    let error = scan_error(r#"<row r="2"><c r="B2"><v>1</v></c><c r="B2"><v>2</v></c></row>"#);
    assert!(
        error.message.contains("dezelfde verwijzing B2"),
        "{error:?}"
    );
    let error = scan_error(r#"<row r="5"><c r="E4294967302"><v>1</v></c></row>"#);
    assert!(error.message.contains("buiten een Excel-blad"), "{error:?}");
    let error = scan_error(r#"<row r="1"><c r="XFE1"><v>1</v></c></row>"#);
    assert!(error.message.contains("XFE1"), "{error:?}");
    let error = scan_error(r#"<row r="3"/><row r="2"><c><v>1</v></c></row>"#);
    assert!(
        error
            .message
            .contains("rij 2 staat in het bestand na rij 3"),
        "{error:?}"
    );
    let error = scan_error(r#"<row r="1048577"><c><v>1</v></c></row>"#);
    assert!(error.message.contains("buiten een Excel-blad"), "{error:?}");
    let error = scan_error(r#"<row r="2"><c r="A3"><v>1</v></c></row>"#);
    assert!(
        error.message.contains("A3 staat in het bestand in rij 2"),
        "{error:?}"
    );
    let error = scan_error(r#"<row r="2"><c r="3"><v>1</v></c></row>"#);
    assert!(
        error.message.contains("ongeldige verwijzing ‘3’"),
        "{error:?}"
    );
}

#[test]
fn broken_cells() {
    let error = scan_error(r#"<row r="4"><c r="C4" t="s"><v>7</v></c></row>"#);
    assert_eq!(error.cell, Some((3, 2)));
    assert!(
        error.message.contains("gedeelde tekst nummer ‘7’"),
        "{error:?}"
    );
    let error = scan_error(r#"<row r="1"><c r="A1" t="zz"><v>7</v></c></row>"#);
    assert!(error.message.contains("onbekend celtype ‘zz’"), "{error:?}");
    let error = scan_error(r#"<row r="1"><c r="A1" t="str"><v>&bogus;</v></c></row>"#);
    assert!(error.message.contains("onleesbaar"), "{error:?}");
    let error = scan_error(r#"<row r="1"><c r="A1"><v>1</v></row>"#);
    assert!(error.message.contains("beschadigd"), "{error:?}");
    let error = scan_error(r#"<row r="1"><c r="A1"><v>1<</v></c></row>"#);
    assert!(error.message.contains("beschadigd"), "{error:?}");
    let error = scan_error(r#"<row r="1"><c r="A1"><v><![CDATA[1]]></v></c></row>"#);
    assert!(error.message.contains("beschadigd"), "{error:?}");
}

#[test]
fn broken_files() {
    let cut = sheet(r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2"#);
    let cut = &cut[..cut.len() - "</sheetData></worksheet>".len()];
    let error = scan(&xlsx_with(cut, STRINGS, ""), "Boekingen 2022").unwrap_err();
    assert!(error.message.contains("afgekapt"), "{error:?}");
    let error = scan(&xlsx_with("<worksheet>", STRINGS, ""), "Boekingen 2022").unwrap_err();
    assert!(error.message.contains("afgekapt"), "{error:?}");
    // cut between two tags, after the data: the merged cells may be missing
    let cut =
        sheet(r#"<row r="1"><c r="A1"><v>1</v></c></row>"#).replace("</worksheet>", "<mergeCells>");
    let error = scan(&xlsx_with(&cut, STRINGS, ""), "Boekingen 2022").unwrap_err();
    assert!(error.message.contains("afgekapt"), "{error:?}");
    // a chart sheet has no data: empty, not broken
    let chart = r#"<?xml version="1.0"?><chartsheet><sheetPr/><drawing r:id="rId1"/></chartsheet>"#;
    let (rows, recorder) = scan(&xlsx_with(chart, STRINGS, ""), "Boekingen 2022").unwrap();
    assert_eq!((rows, recorder.rows.len()), (0, 0));
    let error = LedgerWorkbook::open(b"PK\x03\x04 not really", 1 << 30)
        .err()
        .unwrap();
    assert!(error.message.contains("zip-archief"), "{error:?}");
    let no_book = zip_of(&[("xl/styles.xml", STYLES.as_bytes())]);
    let error = LedgerWorkbook::open(&no_book, 1 << 30).err().unwrap();
    assert!(error.message.contains("xl/workbook.xml"), "{error:?}");
    let merged = sheet("").replace(
        "</worksheet>",
        r#"<mergeCells><mergeCell ref="B2:A1"/></mergeCells></worksheet>"#,
    );
    let error = scan(&xlsx_with(&merged, STRINGS, ""), "Boekingen 2022").unwrap_err();
    assert!(error.message.contains("‘B2:A1’"), "{error:?}");
}

#[test]
fn corrupt_compressed_data_is_an_error_from_the_inflating_thread() {
    let rows: String = (1..=2_000)
        .map(|r| {
            format!(
                r#"<row r="{r}"><c r="A{r}"><v>{}</v></c></row>"#,
                r * 7919 % 10_007
            )
        })
        .collect();
    let mut bytes = xlsx_with(&sheet(&rows), STRINGS, "");
    // the sheet's compressed data: after its local header, before the next entry's
    let name = b"xl/worksheets/sheet1.xml";
    let header = bytes.windows(name.len()).position(|w| w == name).unwrap();
    let start = header + name.len() + 200;
    for i in (start..start + 400).step_by(7) {
        bytes[i] ^= 0x5a;
    }
    let error = scan(&bytes, "Boekingen 2022").unwrap_err();
    assert!(error.message.contains("beschadigd"), "{error:?}");
}

#[test]
fn unpacked_bytes_are_counted_while_inflating() {
    let rows: String = (1..=20_000)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#))
        .collect();
    let bytes = xlsx_with(&sheet(&rows), STRINGS, "");
    let mut workbook = LedgerWorkbook::open(&bytes, 100_000).unwrap();
    let mut recorder = Recorder::default();
    let error = workbook.scan("Boekingen 2022", &mut recorder).unwrap_err();
    assert!(error.message.contains("zip-bom"), "{error:?}");
    assert!(recorder.rows.len() < 20_000);
    // the shared strings count too
    let strings = format!("<sst>{}</sst>", "<si><t>abcdefghij</t></si>".repeat(10_000));
    let bytes = xlsx_with(&sheet(""), &strings, "");
    let mut workbook = LedgerWorkbook::open(&bytes, 100_000).unwrap();
    let error = workbook.scan("Boekingen 2022", &mut recorder).unwrap_err();
    assert!(error.message.contains("zip-bom"), "{error:?}");
}

#[test]
fn rows_across_buffer_edges_and_a_row_larger_than_the_buffer() {
    let mut data: String = (1..=30_000)
        .map(|r| {
            format!(
                r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>regel {r} &amp; meer</t></is></c><c r="B{r}"><v>{r}.25</v></c></row>"#
            )
        })
        .collect();
    let long = "x".repeat(1000);
    data.push_str(r#"<row r="30001">"#);
    for col in 0..400 {
        data.push_str(&format!(
            r#"<c t="inlineStr"><is><t>{col}{long}</t></is></c>"#
        ));
    }
    data.push_str("</row>");
    let (rows, recorder) = scan_data(&data).unwrap();
    assert_eq!(rows, 30_001);
    for (i, (row, cells)) in recorder.rows.iter().take(30_000).enumerate() {
        assert_eq!(*row as usize, i);
        assert_eq!(cells[0].1, text(&format!("regel {} & meer", i + 1)));
        assert_eq!(cells[1].1, Owned::Number(format!("{}.25", i + 1)));
    }
    let (row, cells) = &recorder.rows[30_000];
    assert_eq!((*row, cells.len()), (30_000, 400));
    assert_eq!(cells[399], (399, text(&format!("399{long}"))));
}

// --- against calamine, on workbooks written by rust_xlsxwriter -----------------------

/// A cell written by rust_xlsxwriter.
#[derive(Clone, Debug)]
enum Written {
    Text(String),
    Number(f64),
    Bool(bool),
    Date(u16, u8, u8),
    Formula(f64),
}

fn written() -> impl Strategy<Value = Option<Written>> {
    prop_oneof![
        2 => Just(None),
        3 => "[a-zA-Z0-9 &<>\"'€é\t_x]{0,12}".prop_map(|t| Some(Written::Text(t))),
        1 => proptest::sample::select(vec![
            "Boekdatum", " spaties ", "R&D", "<b>", "_x000D_", "a\r\nb", "ë€😀", "-", "x\u{1}y",
        ])
        .prop_map(|t| Some(Written::Text(t.to_string()))),
        3 => (-10_000_000i64..10_000_000).prop_map(|c| Some(Written::Number(c as f64 / 100.0))),
        1 => any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| Some(Written::Number(f))),
        1 => any::<bool>().prop_map(|b| Some(Written::Bool(b))),
        2 => (1950u16..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Some(Written::Date(y, m, d))),
        1 => (-1000i64..1000).prop_map(|v| Some(Written::Formula(v as f64 / 4.0))),
    ]
}

fn write_workbook(grid: &[Vec<Option<Written>>], inline: bool) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = if inline {
        workbook.add_worksheet_with_constant_memory().unwrap()
    } else {
        workbook.add_worksheet()
    };
    sheet.set_name("Boekingen").unwrap();
    let date_format = Format::new().set_num_format("dd-mm-yyyy");
    for (r, row) in grid.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                None => {}
                Some(Written::Text(t)) => {
                    sheet.write_string(r, c, t).unwrap();
                }
                Some(Written::Number(v)) => {
                    sheet.write_number(r, c, *v).unwrap();
                }
                Some(Written::Bool(b)) => {
                    sheet.write_boolean(r, c, *b).unwrap();
                }
                Some(Written::Date(y, m, d)) => {
                    let date = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    sheet
                        .write_datetime_with_format(r, c, &date, &date_format)
                        .unwrap();
                }
                Some(Written::Formula(v)) => {
                    let formula = rust_xlsxwriter::Formula::new("=1+1").set_result(v.to_string());
                    sheet.write_formula(r, c, formula).unwrap();
                }
            }
        }
    }
    sheet.merge_range(30, 0, 30, 2, "", &Format::new()).unwrap();
    workbook.save_to_buffer().unwrap()
}

/// What calamine reads, as the ledger reader should: (row, col) -> value.
fn calamine_cells(bytes: &[u8]) -> Vec<((u32, u32), Owned)> {
    use calamine::{Data, Reader, Xlsx};
    let mut xlsx: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = xlsx.worksheet_range("Boekingen").unwrap();
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut cells = Vec::new();
    for (r, c, value) in range.used_cells() {
        let at = (r0 + r as u32, c0 + c as u32);
        let value = match value {
            Data::String(s) if s.is_empty() => continue,
            Data::String(s) => Owned::Text(s.clone()),
            Data::Float(f) => Owned::Number(f.to_string()),
            Data::Int(i) => Owned::Number(i.to_string()),
            Data::Bool(b) => Owned::Bool(*b),
            Data::DateTime(d) => match super::row::serial_to_date(d.as_f64(), false) {
                Some(date) => Owned::Date(date),
                None => Owned::Number(d.as_f64().to_string()),
            },
            Data::Error(e) => Owned::Error(format!("{e:?}")),
            other => Owned::Text(format!("{other:?}")),
        };
        cells.push((at, value));
    }
    cells
}

fn scanned_cells(bytes: &[u8]) -> Vec<((u32, u32), Owned)> {
    let (_, recorder) = scan(bytes, "Boekingen").unwrap();
    assert_eq!(
        recorder.merged,
        Some(vec![MergedArea {
            start: (30, 0),
            end: (30, 2)
        }])
    );
    recorder
        .rows
        .into_iter()
        .flat_map(|(row, cells)| {
            cells.into_iter().map(move |(col, value)| {
                let value = match value {
                    // calamine reads the number as a float: compare what the text means
                    Owned::Number(t) => Owned::Number(t.parse::<f64>().unwrap().to_string()),
                    other => other,
                };
                ((row, col), value)
            })
        })
        .collect()
}

fn expected_dates(grid: &[Vec<Option<Written>>]) -> Vec<((u32, u32), Owned)> {
    let mut dates = Vec::new();
    for (r, row) in grid.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Some(Written::Date(y, m, d)) = cell {
                let date = Date::new(i32::from(*y), u32::from(*m), u32::from(*d)).unwrap();
                dates.push(((r as u32, c as u32), Owned::Date(date)));
            }
        }
    }
    dates
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every cell the scanner reports equals what calamine reads, shared and inline
    /// strings alike, and every date is the day that was written.
    #[test]
    fn every_cell_as_calamine_reads_it(
        grid in proptest::collection::vec(proptest::collection::vec(written(), 0..8), 0..30),
        inline in any::<bool>(),
    ) {
        let bytes = write_workbook(&grid, inline);
        let scanned = scanned_cells(&bytes);
        prop_assert_eq!(&scanned, &calamine_cells(&bytes));
        let dates: Vec<_> = scanned
            .into_iter()
            .filter(|(_, v)| matches!(v, Owned::Date(_)))
            .collect();
        prop_assert_eq!(dates, expected_dates(&grid));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random bytes as a workbook: an error, never a panic.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(mut workbook) = LedgerWorkbook::open(&bytes, 1 << 20) {
            for name in workbook.sheet_names() {
                let _ = workbook.scan(&name, &mut Recorder::default());
            }
        }
    }

    /// A real workbook with bytes of the archive itself changed: refused, never a panic.
    #[test]
    fn mutated_archives_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let grid: Vec<Vec<Option<Written>>> = (0..40)
            .map(|r| vec![Some(Written::Text(format!("regel {r}"))), Some(Written::Number(f64::from(r)))])
            .collect();
        let mut bytes = write_workbook(&grid, false);
        for (at, byte) in &edits {
            let i = at.index(bytes.len());
            bytes[i] = *byte;
        }
        if let Ok(mut workbook) = LedgerWorkbook::open(&bytes, 1 << 20) {
            for name in workbook.sheet_names() {
                let _ = workbook.scan(&name, &mut Recorder::default());
            }
        }
    }

    /// A real sheet and shared strings with bytes replaced, inserted or removed: read or
    /// refused, never a panic.
    #[test]
    fn mutated_sheets_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..12),
        in_strings in any::<bool>(),
    ) {
        let grid: Vec<Vec<Option<Written>>> = (0..6)
            .map(|r| vec![
                Some(Written::Text(format!("tekst {r} & co"))),
                Some(Written::Number(f64::from(r) * 1.25)),
                Some(Written::Date(2022, 3, 1 + r as u8)),
                Some(Written::Bool(r % 2 == 0)),
            ])
            .collect();
        let original = write_workbook(&grid, false);
        let mut archive = zip::ZipArchive::new(Cursor::new(&original[..])).unwrap();
        let mut parts = Vec::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
            parts.push((entry.name().unwrap().to_string(), bytes));
        }
        let target = if in_strings { "xl/sharedStrings.xml" } else { "xl/worksheets/sheet1.xml" };
        for (name, bytes) in &mut parts {
            if name == target {
                for (at, op, byte) in &edits {
                    let i = at.index(bytes.len().max(1)).min(bytes.len().saturating_sub(1));
                    match op {
                        0 if !bytes.is_empty() => bytes[i] = *byte,
                        1 => bytes.insert(i, *byte),
                        _ if !bytes.is_empty() => { bytes.remove(i); }
                        _ => {}
                    }
                }
            }
        }
        let parts: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        let bytes = zip_of(&parts);
        if let Ok(mut workbook) = LedgerWorkbook::open(&bytes, 1 << 20) {
            let _ = workbook.scan("Boekingen", &mut Recorder::default());
        }
    }
}
