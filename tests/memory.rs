//! The memory of reading a workbook with many cells (issue 9): counted by a global allocator
//! that keeps the high-water mark of the bytes allocated, so the test measures the reader's
//! own data structures, not the process's resident size.

#[path = "../benches/cells/workbook.rs"]
mod workbook;

#[path = "support/counting.rs"]
mod counting;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// Five sheets of 200.000 numbers each (the red-team workbook, smaller): reading them may
/// hold one sheet's cells at a time, in a compact form. Before, every sheet's cells were
/// held at once as 40-byte cells, next to a sorted copy while each grid was built: about 80
/// bytes per cell of the workbook.
#[test]
fn reading_many_cells_holds_few_bytes_per_cell() {
    const CELLS_PER_SHEET: usize = 200_060; // whole rows of 70
    let dir = std::env::temp_dir().join(format!("werkplan-memory-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    workbook::workbook(&dir.join("cellen.xlsx"), CELLS_PER_SHEET).unwrap();

    let (result, peak) = counting::peak_of(|| {
        werkplan::ingest::read_folder(&dir, "in", &werkplan::ingest::limits::Limits::DEFAULT)
    });
    std::fs::remove_dir_all(&dir).unwrap();

    // numbers only, no header: every sheet is refused, after all its cells were read
    let findings = result.err().expect("sheets without a header are refused");
    assert!(
        findings.iter().any(|f| f.message.contains("geen kopregel")),
        "{findings:?}"
    );
    let per_cell = peak as f64 / (5 * CELLS_PER_SHEET) as f64;
    eprintln!(
        "peak {:.1} MiB, {per_cell:.1} bytes per cell",
        peak as f64 / 1048576.0
    );
    assert!(
        per_cell < 12.0,
        "reading held {per_cell:.1} bytes per cell of the workbook at its peak ({} MiB)",
        peak >> 20
    );
}

/// The places of a sheet's cells share its file and sheet names (issue 9: 100.000 budget
/// lines cost about 600 bytes a figure when every place owned copies of both names).
#[test]
fn the_places_of_a_sheet_share_its_names() {
    use werkplan::ingest::grid::{Grid, RawCell};
    use werkplan::ingest::header::SheetKind;
    let grid = Grid::from_dense(
        "invoer/werkplan-2022.xlsx",
        "Reguliere middelen",
        SheetKind::ReguliereMiddelen,
        vec![vec![RawCell::Int(1), RawCell::Int(2)]],
    );
    let (a, b) = (grid.cell_place(0, 0), grid.cell_place(0, 1));
    assert_eq!(
        b.to_string(),
        "invoer/werkplan-2022.xlsx › Reguliere middelen › B1"
    );
    assert!(
        std::ptr::eq(a.file.as_ptr(), b.file.as_ptr()),
        "the file name is copied per place"
    );
    assert!(
        std::ptr::eq(a.sheet.as_ptr(), b.sheet.as_ptr()),
        "the sheet name is copied per place"
    );
}
